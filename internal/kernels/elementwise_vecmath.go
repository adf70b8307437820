package kernels

import "math"

// This file holds the float32 exp, tanh, sigmoid and log that the assembly
// kernels vectorise, written out in scalar Go as their reference twins. The
// assembly evaluates the same formulas in the same order with the same
// constants (read from vecConsts), so twin and assembly agree to the last
// bit, except where fma32 below rounds twice (at most 1 ulp, rarely).
//
// Accuracy against math.Exp, math.Tanh, the float64 Sigmoid and math.Log,
// measured by TestVecMathULP over every float32 input (go test -run ULP
// -args -ulp.all, about 22 minutes), is stated on each function; the tests assert
// it on a sample.

// Constants of the vector math. Each is stored 8 times in a row of vecConsts
// (32 bytes, one AVX2 register); the AVX-512 kernels broadcast the first
// copy. The off* names are byte offsets into vecConsts, which the assembly
// reads through go_asm.h as const_off*.
const (
	// exp(x) = 2^n · exp(r), n = round(x·log2 e), r = x − n·ln 2. The
	// Cody–Waite split of ln 2 and the polynomial are those of SLEEF's expf
	// (sleefsimdsp.c, xexpf, 1.0 ulp): ln2Hi has 15 significant bits, so
	// n·ln2Hi is exact for |n| < 512, and ln2Lo = ln 2 − ln2Hi.
	expLog2e = 1.44269504088896341 // log2(e)
	expLn2Hi = 0.693145751953125
	expLn2Lo = 1.428606765330187045e-06
	// exp(r) ≈ 1 + r + r²·(c2 + c3·r + … + c7·r⁵) on |r| ≤ ln(2)/2: SLEEF's
	// minimax coefficients; the polynomial's own relative error there is
	// 1.1e-9 (0.02 ulp), computed in float64 by NumPy over 200,001 points.
	expC7 = 0.000198527617612853646278381
	expC6 = 0.00139304355252534151077271
	expC5 = 0.00833336077630519866943359
	expC4 = 0.0416664853692054748535156
	expC3 = 0.166666671633720397949219
	expC2 = 0.5
	// Inputs are clamped to [expMin, expMax] before the reduction, which
	// keeps n in [−150, 128], so 2^n splits into two normal factors. Above
	// ln(MaxFloat32) ≈ 88.72 the result is +Inf and below ln(2^−150) ≈
	// −103.97 it is 0, so clamping changes no result.
	expMax = 89
	expMin = -104

	// tanh(x) = sign(x)·(1 − 2/(exp(2|x|) + 1)) for |x| ≥ tanhSmall, and
	// x + x·x²·P(x²) below it, where the formula would cancel. The break
	// and P are Cephes's tanhf (Moshier, Cephes Math Library 2.2); P's own
	// relative error on [0, 0.625] is 4.4e-9 (NumPy, 200,001 points).
	tanhSmall = 0.625
	tanhP4    = -5.70498872745e-3
	tanhP3    = 2.06390887954e-2
	tanhP2    = -5.37397155531e-2
	tanhP1    = 1.33314422036e-1
	tanhP0    = -3.33332819422e-1

	// log(x) = e·ln 2 + log1p(f) with x = 2^e·m, m in [√½, √2), f = m − 1.
	// The reduction is musl's logf (src/math/logf.c): adding logShift =
	// 0x3f800000 − 0x3f3504f3 (the bits of 1 and of √½ rounded down) to the
	// bits of x carries into the exponent exactly when the mantissa is at
	// least √2's, and logSqrtHalf restores the mantissa field to [√½, √2).
	// Subnormal inputs are first scaled by 2^23 (logTwo23), which makes
	// them normal, exactly.
	logShift     = 0x3f800000 - 0x3f3504f3
	logSqrtHalf  = 0x3f3504f3     // √½ rounded down to float32, as bits
	logSqrt2     = 0x3fb504f3     // twice that: where m in [1, 2) is halved
	logMantMask  = 0x007fffff     // the mantissa field
	logMinNormal = 0x1p-126       // the least normal float32
	logTwo23     = 0x1p23         // scales a subnormal to a normal float
	logLn2Hi     = 0.693359375    // Cephes's split of ln 2: 355/512, so e·logLn2Hi is exact
	logLn2Lo     = -2.12194440e-4 // ln 2 − logLn2Hi
	logFixup     = 0x03530421     // the VFIXUPIMMPS table of the special values (elementwise_avx512_amd64.s)
	// log1p(f) ≈ f − f²/2 + f³·P(f) on [√½ − 1, √2 − 1]: Cephes's logf
	// (Moshier, Cephes Math Library 2.2). Rounded to float32, P's own
	// relative error there is 3.5e-9 (0.06 ulp), computed in float64 by
	// NumPy over 400,001 points.
	logP8 = 7.0376836292e-2
	logP7 = -1.1514610310e-1
	logP6 = 1.1676998740e-1
	logP5 = -1.2420140846e-1
	logP4 = 1.4249322787e-1
	logP3 = -1.6668057665e-1
	logP2 = 2.0000714765e-1
	logP1 = -2.4999993993e-1
	logP0 = 3.3333331174e-1
)

// Byte offsets of the rows of vecConsts.
const (
	offLog2e = 32 * iota
	offLn2Hi
	offLn2Lo
	offExpC7
	offExpC6
	offExpC5
	offExpC4
	offExpC3
	offExpC2
	offOne
	offTwo
	offExpMax
	offExpMin
	offBias     // int32 127, the exponent bias of float32
	offAbsMask  // 0x7fffffff: clears the sign bit
	offSignMask // 0x80000000: the sign bit
	offTanhSmall
	offTanhP4
	offTanhP3
	offTanhP2
	offTanhP1
	offTanhP0
	offHalf
	offInf
	offNegInf
	offNaN
	offLogShift
	offLogSqrtHalf
	offLogSqrt2
	offLogMantMask
	offLogMinNormal
	offLogTwo23
	offLogMinus23 // −23.0: the exponent correction of a scaled subnormal
	offLogLn2Hi
	offLogLn2Lo
	offLogFixup
	offLogP8
	offLogP7
	offLogP6
	offLogP5
	offLogP4
	offLogP3
	offLogP2
	offLogP1
	offLogP0
	offEnd
)

// vecConsts holds the constants above as bit patterns, each row repeated
// for the 8 lanes of an AVX2 register.
var vecConsts = func() (t [offEnd / 32][8]uint32) {
	set := func(off int, bits uint32) {
		for i := range t[off/32] {
			t[off/32][i] = bits
		}
	}
	f := func(off int, v float32) { set(off, math.Float32bits(v)) }
	f(offLog2e, expLog2e)
	f(offLn2Hi, expLn2Hi)
	f(offLn2Lo, expLn2Lo)
	f(offExpC7, expC7)
	f(offExpC6, expC6)
	f(offExpC5, expC5)
	f(offExpC4, expC4)
	f(offExpC3, expC3)
	f(offExpC2, expC2)
	f(offOne, 1)
	f(offTwo, 2)
	f(offExpMax, expMax)
	f(offExpMin, expMin)
	set(offBias, 127)
	set(offAbsMask, 0x7fffffff)
	set(offSignMask, 0x80000000)
	f(offTanhSmall, tanhSmall)
	f(offTanhP4, tanhP4)
	f(offTanhP3, tanhP3)
	f(offTanhP2, tanhP2)
	f(offTanhP1, tanhP1)
	f(offTanhP0, tanhP0)
	f(offHalf, 0.5)
	f(offInf, float32(math.Inf(1)))
	f(offNegInf, float32(math.Inf(-1)))
	f(offNaN, float32(math.NaN()))
	set(offLogShift, logShift)
	set(offLogSqrtHalf, logSqrtHalf)
	set(offLogSqrt2, logSqrt2)
	set(offLogMantMask, logMantMask)
	f(offLogMinNormal, logMinNormal)
	f(offLogTwo23, logTwo23)
	f(offLogMinus23, -23)
	f(offLogLn2Hi, logLn2Hi)
	f(offLogLn2Lo, logLn2Lo)
	set(offLogFixup, logFixup)
	f(offLogP8, logP8)
	f(offLogP7, logP7)
	f(offLogP6, logP6)
	f(offLogP5, logP5)
	f(offLogP4, logP4)
	f(offLogP3, logP3)
	f(offLogP2, logP2)
	f(offLogP1, logP1)
	f(offLogP0, logP0)
	return t
}()

// fma32 is the float32 fused multiply-add a·b + c that VFMADD computes. It
// rounds through float64, which differs from one float32 rounding only when
// the float64 result lands exactly on a float32 tie (rare, and then by 1 ulp).
func fma32(a, b, c float32) float32 {
	return float32(math.FMA(float64(a), float64(b), float64(c)))
}

// exp32 is e^x for float32, at most 0.988 ulp from the exact value for
// every float32 x (subnormal results included); exp(−Inf) = 0,
// exp(x > 88.73) = +Inf, NaN gives NaN.
func exp32(x float32) float32 {
	if x != x {
		return x
	}
	n, t := expReduce(x)
	return ldexp32(1+t, n)
}

// expReduce returns n and t with e^x ≈ 2^n·(1 + t): x is clamped to
// [expMin, expMax], n = round(x·log2 e), r = x − n·ln 2 (in two steps) and
// t = r + r²·(c2 + c3·r + … + c7·r⁵) ≈ e^r − 1, |t| < 0.42.
func expReduce(x float32) (n int32, t float32) {
	x = min(max(x, expMin), expMax)
	fn := float32(math.RoundToEven(float64(x * expLog2e)))
	r := fma32(-fn, expLn2Hi, x)
	r = fma32(-fn, expLn2Lo, r)
	u := float32(expC7)
	u = fma32(u, r, expC6)
	u = fma32(u, r, expC5)
	u = fma32(u, r, expC4)
	u = fma32(u, r, expC3)
	u = fma32(u, r, expC2)
	return int32(fn), fma32(r*r, u, r)
}

// ldexp32 is u·2^n for n in [−150, 128], computed as u·2^h·2^(n−h) with
// h = n>>1: both factors are normal floats, the first product is exact and
// the second rounds once, into the subnormals or to +Inf when it must.
func ldexp32(u float32, n int32) float32 {
	h := n >> 1
	return u * pow2(h) * pow2(n-h)
}

// pow2 is 2^k for k in [−126, 127], built from its exponent bits.
func pow2(k int32) float32 { return math.Float32frombits(uint32(k+127) << 23) }

// tanh32 is tanh(x) for float32, at most 1.33 ulp from the exact value for
// every float32 x; it saturates to ±1 and keeps the sign of zero; NaN gives
// NaN. The largest errors are just above tanhSmall, where 2/(e+1) is
// largest.
func tanh32(x float32) float32 {
	a := math.Float32frombits(math.Float32bits(x) &^ (1 << 31))
	var t float32
	if a < tanhSmall {
		s := a * a
		p := float32(tanhP4)
		p = fma32(p, s, tanhP3)
		p = fma32(p, s, tanhP2)
		p = fma32(p, s, tanhP1)
		p = fma32(p, s, tanhP0)
		t = fma32(a*s, p, a)
	} else {
		t = 1 - 2/(exp32(a+a)+1)
	}
	return math.Float32frombits(math.Float32bits(t) | math.Float32bits(x)&(1<<31))
}

// sigmoid32 is 1/(1 + e^−x) for float32, at most 0.986 ulp from the exact
// value for every float32 x; NaN gives NaN.
//
// With e = exp(−|x|) ≤ 1, it is 1/(1+e) for x ≥ 0 and e/(1+e) for x < 0,
// so nothing overflows and the tail below −87 keeps its subnormal values.
// Rounding e and 1+e to float32 would cost up to 2.4 ulp, so both are kept
// as unevaluated sums (e = eh + el, 1 + e = dh + de + el, the low parts
// exact by Fast2Sum) and the quotient q = num/dh is corrected with one
// Newton step on the remainder: q + (num − q·(1+e))·(1/(1+e)), where
// 1/(1+e) is q itself for x ≥ 0 and 1 − q for x < 0.
func sigmoid32(x float32) float32 {
	if x != x {
		return x
	}
	neg := math.Float32bits(x)>>31 != 0
	n, t := expReduce(math.Float32frombits(math.Float32bits(x) | 1<<31))
	uh := 1 + t
	ul := (1 - uh) + t
	eh, el := ldexp32(uh, n), ldexp32(ul, n)
	dh := 1 + eh
	de := (1 - dh) + eh
	nh, nl := float32(1), float32(0)
	if neg {
		nh, nl = eh, el
	}
	q := nh / dh
	r := fma32(-q, dh, nh) + nl
	r = fma32(-q, de+el, r)
	inv := q
	if neg {
		inv = 1 - q
	}
	return fma32(r, inv, q)
}

// log32 is the natural logarithm for float32, at most 0.83 ulp from the
// exact value for every positive float32, subnormals included; log(±0) =
// −Inf, log(x < 0) = NaN, log(+Inf) = +Inf, NaN gives NaN.
//
// With x = 2^e·m (logReduce) and f = m − 1, exact by Sterbenz's lemma,
// log x = e·ln 2 + f − f²/2 + f³·P(f), summed as Cephes's logf does: the
// small terms first (y), then f, then e·ln2Hi (an exact product). The
// rounding of f + y costs little once e·ln2Hi is added: for |e| ≥ 2 it is
// small beside the result's ulp. Keeping it exactly (Fast2Sum) was tried
// and gave the same largest error, 0.83 ulp over every float32, so the
// cheaper sum stays.
func log32(x float32) float32 {
	switch {
	case x != x || x > math.MaxFloat32:
		return x
	case x == 0:
		return float32(math.Inf(-1))
	case x < 0:
		return float32(math.NaN())
	}
	e, m := logReduce(x)
	f := m - 1
	z := f * f
	p := float32(logP8)
	p = fma32(p, f, logP7)
	p = fma32(p, f, logP6)
	p = fma32(p, f, logP5)
	p = fma32(p, f, logP4)
	p = fma32(p, f, logP3)
	p = fma32(p, f, logP2)
	p = fma32(p, f, logP1)
	p = fma32(p, f, logP0)
	y := p * f * z // f³·P(f)
	y = fma32(e, logLn2Lo, y)
	y = fma32(-0.5, z, y)
	return fma32(e, logLn2Hi, f+y)
}

// logReduce returns e and m with x = 2^e·m and m in [√½, √2), both exact,
// for a positive finite x.
func logReduce(x float32) (e, m float32) {
	var k int32
	if x < logMinNormal {
		x *= logTwo23
		k = -23
	}
	b := math.Float32bits(x) + logShift
	k += int32(b>>23) - 127
	return float32(k), math.Float32frombits(b&logMantMask + logSqrtHalf)
}
