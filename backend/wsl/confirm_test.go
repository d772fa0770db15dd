package wsl

import (
	"bytes"
	"strings"
	"testing"

	"github.com/wsldash/wsldash/backend"
)

func TestConfirmName(t *testing.T) {
	cases := []struct {
		in, typed   string
		interactive bool
		ok          bool
	}{
		{typed: "Ubuntu", ok: true},
		{typed: "ubuntu"},
		{typed: "Ubuntu "},
		{},
		{in: "Ubuntu\n", interactive: true, ok: true},
		{in: "Ubuntu\r\n", interactive: true, ok: true},
		{in: "Ubunt\n", interactive: true},
		{in: "", interactive: true},
	}
	for _, c := range cases {
		var out bytes.Buffer
		err := ConfirmName(strings.NewReader(c.in), &out, "Ubuntu", c.typed, c.interactive)
		if (err == nil) != c.ok {
			t.Errorf("%+v: err = %v", c, err)
		}
		if err != nil && backend.KindOf(err) != backend.KindPermission {
			t.Errorf("%+v: kind %v", c, backend.KindOf(err))
		}
		if c.interactive && c.typed == "" && !strings.Contains(out.String(), "Type its name") {
			t.Errorf("%+v: no prompt", c)
		}
	}
}
