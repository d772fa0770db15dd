package procfs

import (
	"testing"

	"github.com/wsldash/wsldash/backend"
)

func TestParsePressureFiles(t *testing.T) {
	tests := []struct {
		file string
		want PSI
	}{
		{"live/pressure_cpu", PSI{Some: backend.Pressure{Avg10: 1.53, Avg60: 4.00, Avg300: 2.40}, SomeTotal: 11056057, HasFull: true}},
		{"live/pressure_io", PSI{
			Some: backend.Pressure{Avg10: 0, Avg60: 0.05, Avg300: 0.11}, SomeTotal: 1154422,
			Full: backend.Pressure{Avg10: 0, Avg60: 0.03, Avg300: 0.07}, FullTotal: 914781, HasFull: true}},
		{"live/pressure_memory", PSI{HasFull: true}},
		{"old_kernel_pressure_cpu", PSI{Some: backend.Pressure{Avg10: 1.5, Avg60: 0.75, Avg300: 0.25}, SomeTotal: 123456}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := ParsePressure(readTestdata(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestParsePressureInline(t *testing.T) {
	tests := []struct {
		name, in string
		want     PSI
	}{
		{"keys in any order, unknown keys ignored", "some total=5 avg300=3 new=x avg60=2 avg10=1\n",
			PSI{Some: backend.Pressure{Avg10: 1, Avg60: 2, Avg300: 3}, SomeTotal: 5}},
		{"full before some", "full avg10=0.10 avg60=0.20 avg300=0.30 total=9\nsome avg10=1.00 avg60=2.00 avg300=3.00 total=10",
			PSI{Some: backend.Pressure{Avg10: 1, Avg60: 2, Avg300: 3}, SomeTotal: 10,
				Full: backend.Pressure{Avg10: 0.1, Avg60: 0.2, Avg300: 0.3}, FullTotal: 9, HasFull: true}},
		{"100 percent", "some avg10=100.00 avg60=100.00 avg300=100.00 total=18446744073709551615\n",
			PSI{Some: backend.Pressure{Avg10: 100, Avg60: 100, Avg300: 100}, SomeTotal: 18446744073709551615}},
		{"blank lines and CRLF", "\r\nsome avg10=0.00 avg60=0.00 avg300=0.00 total=0\r\n\n", PSI{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParsePressure([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestParsePressureErrors(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"empty", "", []string{"no \"some\""}},
		{"full only", "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n", []string{"no \"some\""}},
		{"unknown line", "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\nhalf avg10=1\n", []string{"line 2", `"half avg10=1"`}},
		{"missing total", "some avg10=0.00 avg60=0.00 avg300=0.00\n", []string{"line 1", "want avg10, avg60, avg300 and total"}},
		{"missing avg60", "some avg10=0.00 avg300=0.00 total=1\n", []string{"line 1", "want avg10"}},
		{"not key=value", "some avg10 0.00\n", []string{"line 1", "key=value"}},
		{"bad average", "some avg10=x avg60=0.00 avg300=0.00 total=0\n", []string{"line 1", `"avg10=x"`}},
		{"negative average", "some avg10=-1.00 avg60=0.00 avg300=0.00 total=0\n", []string{"line 1", "bad average"}},
		{"NaN", "some avg10=NaN avg60=0.00 avg300=0.00 total=0\n", []string{"line 1", "bad average"}},
		{"Inf", "some avg10=0 avg60=+Inf avg300=0.00 total=0\n", []string{"line 1", "bad average"}},
		{"bad total", "some avg10=0 avg60=0 avg300=0.00 total=-1\n", []string{"line 1", "bad total"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParsePressure([]byte(tt.in))
			if err == nil {
				t.Fatal("no error")
			}
			wantParseErr(t, err, "parse pressure", tt.want...)
		})
	}
}
