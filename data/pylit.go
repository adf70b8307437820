package data

import (
	"fmt"
	"strconv"
	"strings"
)

// pyLit scans the small subset of Python literal syntax that NPY headers
// use: strings, True/False and tuples of integers.
type pyLit struct {
	s string
	i int
}

func (p *pyLit) skip() {
	for p.i < len(p.s) && strings.IndexByte(" \t\r\n", p.s[p.i]) >= 0 {
		p.i++
	}
}

// peek returns the next non-space byte, or 0 at the end.
func (p *pyLit) peek() byte {
	p.skip()
	if p.i < len(p.s) {
		return p.s[p.i]
	}
	return 0
}

// eat consumes c when it is the next non-space byte.
func (p *pyLit) eat(c byte) bool {
	if p.peek() == c && c != 0 {
		p.i++
		return true
	}
	return false
}

// str reads a quoted string without escapes, in single or double quotes.
func (p *pyLit) str() (string, error) {
	q := p.peek()
	if q != '\'' && q != '"' {
		return "", fmt.Errorf("want a quoted string at offset %d", p.i)
	}
	end := strings.IndexByte(p.s[p.i+1:], q)
	if end < 0 {
		return "", fmt.Errorf("unterminated string at offset %d", p.i)
	}
	v := p.s[p.i+1 : p.i+1+end]
	p.i += end + 2
	return v, nil
}

// boolean reads True or False.
func (p *pyLit) boolean() (bool, error) {
	p.skip()
	for _, w := range []struct {
		word string
		v    bool
	}{{"True", true}, {"False", false}} {
		if strings.HasPrefix(p.s[p.i:], w.word) {
			p.i += len(w.word)
			return w.v, nil
		}
	}
	return false, fmt.Errorf("want True or False at offset %d", p.i)
}

// intTuple reads a tuple of non-negative integers such as (), (3,) or
// (2, 3). Python 2 long literals (3L) are accepted.
func (p *pyLit) intTuple() ([]int, error) {
	if !p.eat('(') {
		return nil, fmt.Errorf("want a tuple at offset %d", p.i)
	}
	dims := []int{}
	for !p.eat(')') {
		if len(dims) >= maxRank {
			return nil, fmt.Errorf("more than %d dimensions", maxRank)
		}
		p.skip()
		j := p.i
		for j < len(p.s) && p.s[j] >= '0' && p.s[j] <= '9' {
			j++
		}
		d, err := strconv.Atoi(p.s[p.i:j])
		if err != nil || d > maxElements {
			return nil, fmt.Errorf("want a dimension (a non-negative integer up to %d) at offset %d, got %q", maxElements, p.i, p.s[p.i:j])
		}
		dims = append(dims, d)
		p.i = j
		if p.i < len(p.s) && p.s[p.i] == 'L' {
			p.i++
		}
		if !p.eat(',') && p.peek() != ')' {
			return nil, fmt.Errorf("want ',' or ')' in the tuple at offset %d", p.i)
		}
	}
	return dims, nil
}
