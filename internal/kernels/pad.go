package kernels

// PadCopy copies between an array small of the given shape and the block of
// a larger array big that starts at offset before[i] along each axis i,
// where big has shape shape[i] + before[i] + after[i]. With crop false it
// copies small into big (zero padding, when big was zeroed first); with crop
// true it copies the block of big into small (the gradient of padding). The
// other cells of big are left as they are. Row-major order; it allocates
// nothing.
func PadCopy[T Float](big, small []T, shape, before, after []int) {
	padCopy(big, small, shape, before, after, false)
}

// CropCopy is PadCopy in the other direction: it copies the block of big at
// offset before into small.
func CropCopy[T Float](small, big []T, shape, before, after []int) {
	padCopy(big, small, shape, before, after, true)
}

func padCopy[T Float](big, small []T, shape, before, after []int, crop bool) {
	if len(shape) != len(before) || len(shape) != len(after) {
		panic("kernels.PadCopy: shape, before and after differ in length")
	}
	nSmall, nBig := 1, 1
	for i, d := range shape {
		nSmall *= d
		nBig *= d + before[i] + after[i]
	}
	if len(small) < nSmall || len(big) < nBig {
		panic("kernels.PadCopy: slices shorter than the shapes")
	}
	padBlock(big, small, shape, before, after, crop)
}

// padBlock copies one block, recursing over the leading axis until the
// remaining axes are unpadded and the block is contiguous in both arrays.
func padBlock[T Float](big, small []T, shape, before, after []int, crop bool) {
	if len(shape) == 0 {
		if crop {
			small[0] = big[0]
		} else {
			big[0] = small[0]
		}
		return
	}
	innerSmall, innerBig, padded := 1, 1, false
	for i := 1; i < len(shape); i++ {
		innerSmall *= shape[i]
		innerBig *= shape[i] + before[i] + after[i]
		padded = padded || before[i] != 0 || after[i] != 0
	}
	if !padded { // the block is shape[0] contiguous rows of both arrays
		b := big[before[0]*innerBig : (before[0]+shape[0])*innerBig]
		s := small[:shape[0]*innerSmall]
		if crop {
			copy(s, b)
		} else {
			copy(b, s)
		}
		return
	}
	for i := range shape[0] {
		padBlock(big[(before[0]+i)*innerBig:], small[i*innerSmall:], shape[1:], before[1:], after[1:], crop)
	}
}
