package saving

import (
	"encoding/binary"
	"fmt"
)

// zipField names a byte range of a zip archive.
type zipField struct {
	begin, end int
	name       string
}

// zipFields splits an archive written by Encode into its named fields: for
// each entry a local header, its data and a data descriptor, then the
// central directory and its end record (APPNOTE.TXT 4.3.7, 4.3.9, 4.3.12,
// 4.3.16). It knows only the layout archive/zip writes (no zip64, data
// descriptors with their signature), which is all the tests need.
func zipFields(b []byte) ([]zipField, error) {
	var fields []zipField
	u16 := func(at int) int { return int(binary.LittleEndian.Uint16(b[at:])) }
	u32 := func(at int) int { return int(binary.LittleEndian.Uint32(b[at:])) }
	add := func(at *int, n int, name string) {
		fields = append(fields, zipField{*at, *at + n, name})
		*at += n
	}
	// The end record is the last 22 bytes: Encode writes no comment.
	end := len(b) - 22
	if end < 0 || u32(end) != 0x06054b50 {
		return nil, fmt.Errorf("no end of central directory record at %d", end)
	}
	cd, entries := u32(end+16), u16(end+10)
	var sizes []int       // compressed sizes, from the central directory
	var dataName []string // "stored data" or "deflated data", by method
	for at, i := cd, 0; i < entries; i++ {
		sizes = append(sizes, u32(at+20))
		dataName = append(dataName, map[int]string{0: "stored data", 8: "deflated data"}[u16(at+10)])
		at += 46 + u16(at+28) + u16(at+30) + u16(at+32)
	}
	at := 0
	for i := range entries {
		nameLen, extraLen := u16(at+26), u16(at+28)
		for _, f := range []struct {
			n    int
			name string
		}{
			{4, "local signature"}, {2, "local version needed"}, {2, "local flags"},
			{2, "local method"}, {2, "local time"}, {2, "local date"}, {4, "local crc"},
			{4, "local compressed size"}, {4, "local size"}, {2, "local name length"},
			{2, "local extra length"}, {nameLen, "local name"}, {extraLen, "local extra"},
			{sizes[i], dataName[i]}, {4, "descriptor signature"}, {4, "descriptor crc"},
			{4, "descriptor compressed size"}, {4, "descriptor size"},
		} {
			add(&at, f.n, f.name)
		}
	}
	if at != cd {
		return nil, fmt.Errorf("local entries end at %d, central directory starts at %d", at, cd)
	}
	for range entries {
		nameLen, extraLen, commentLen := u16(at+28), u16(at+30), u16(at+32)
		for _, f := range []struct {
			n    int
			name string
		}{
			{4, "central signature"}, {2, "central version made by"}, {2, "central version needed"},
			{2, "central flags"}, {2, "central method"}, {2, "central time"}, {2, "central date"},
			{4, "central crc"}, {4, "central compressed size"}, {4, "central size"},
			{2, "central name length"}, {2, "central extra length"}, {2, "central comment length"},
			{2, "central disk"}, {2, "central internal attributes"}, {4, "central external attributes"},
			{4, "central offset"}, {nameLen, "central name"}, {extraLen, "central extra"},
			{commentLen, "central comment"},
		} {
			add(&at, f.n, f.name)
		}
	}
	for _, f := range []struct {
		n    int
		name string
	}{
		{4, "end signature"}, {2, "end disk"}, {2, "end directory disk"}, {2, "end entries on disk"},
		{2, "end entries"}, {4, "end directory size"}, {4, "end directory offset"}, {2, "end comment length"},
	} {
		add(&at, f.n, f.name)
	}
	if at != len(b) {
		return nil, fmt.Errorf("fields end at %d, archive is %d bytes", at, len(b))
	}
	return fields, nil
}
