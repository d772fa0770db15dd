package wslconfig

import "testing"

func BenchmarkParse(b *testing.B) {
	src := mustRead(b, "realistic.wslconfig")
	b.ReportAllocs()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := Parse(src); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSet(b *testing.B) {
	src := mustRead(b, "realistic.wslconfig")
	b.ReportAllocs()
	for b.Loop() {
		f, _ := Parse(src)
		if err := f.Set("wsl2.memory", "16GB"); err != nil {
			b.Fatal(err)
		}
	}
}
