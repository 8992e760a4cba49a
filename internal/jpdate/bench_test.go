package jpdate

import "testing"

// Sinks keep the compiler from discarding benchmarked calls; they are
// typed so that storing into them does not allocate.
var (
	sinkInt int64
	sinkErr error
)

func BenchmarkParseDateTime(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		v, err := ParseDateTime("2024/04/01 09:03:07")
		if err != nil {
			b.Fatal(err)
		}
		sinkInt += v.Unix()
	}
}

func BenchmarkParseDateTimeForms(b *testing.B) {
	for _, in := range []string{
		"2024-04-01T09:03:07",
		"20240401 090307",
		"20240401090307",
		"2024/4/1 9:03",
		"2024-04-01 09:03:07.123",
		"2024-04-01T09:03:07+09:00",
		"2024/04/01 午後3:05",
		"R6.4.1",
		"45383.3771643518",
		"令和6年4月1日 9:03:07",
		"２０２４／０４／０１　０９：０３：０７",
	} {
		b.Run(in, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				v, err := ParseDateTime(in)
				if err != nil {
					b.Fatal(err)
				}
				sinkInt += v.Unix()
			}
		})
	}
}

func BenchmarkParseDateTimeError(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		_, err := ParseDateTime("2024/02/30 09:03:07")
		if err == nil {
			b.Fatal("accepted")
		}
		sinkErr = err
	}
}

func BenchmarkParseClock(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		h, _, _, err := ParseClock("09:03:07")
		if err != nil {
			b.Fatal(err)
		}
		sinkInt += int64(h)
	}
}

func BenchmarkCombine(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		v, err := Combine("2024/04/01", "09:03:07")
		if err != nil {
			b.Fatal(err)
		}
		sinkInt += v.Unix()
	}
}
