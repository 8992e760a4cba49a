package jpdate

import (
	"math/big"
	"math/bits"
)

// pow10 holds the powers of ten that fit a uint64.
var pow10 = [20]uint64{
	1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9,
	1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
}

// fracToMillis converts the digits after the decimal point of an Excel
// serial (a fraction of a day) to milliseconds, rounded half up, in exact
// integer arithmetic: a float would turn 0.3771643518 (09:03:07) into
// 09:03:06.999. The result may be 86400000 when the fraction rounds up to a
// whole day.
func fracToMillis(digits string) int {
	if len(digits) > 19 {
		return fracToMillisBig(digits)
	}
	var d uint64
	for i := 0; i < len(digits); i++ {
		d = d*10 + uint64(digits[i]-'0')
	}
	pow := pow10[len(digits)]
	// (d·86400000 + pow/2) / pow in 128 bits; the high word stays below
	// pow because d < pow, so Div64 cannot overflow.
	hi, lo := bits.Mul64(d, 86400000)
	lo, carry := bits.Add64(lo, pow/2, 0)
	hi += carry
	q, _ := bits.Div64(hi, lo, pow)
	return int(q)
}

// fracToMillisBig is fracToMillis for more digits than a uint64 holds, a
// form no spreadsheet writes but a hand-made file may.
func fracToMillisBig(digits string) int {
	d, _ := new(big.Int).SetString(digits, 10)
	pow := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(len(digits))), nil)
	d.Mul(d, big.NewInt(86400000))
	d.Add(d, new(big.Int).Rsh(pow, 1))
	return int(d.Quo(d, pow).Int64())
}
