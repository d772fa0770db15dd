package themes

import (
	"reflect"
	"strings"
	"testing"
)

func TestGetEveryThemeHasEveryRole(t *testing.T) {
	for _, name := range Names() {
		for _, dark := range []bool{true, false} {
			p, err := Get(name, dark)
			if err != nil {
				t.Fatalf("Get(%q): %v", name, err)
			}
			if p.Name != name {
				t.Errorf("Get(%q).Name = %q", name, p.Name)
			}
			v := reflect.ValueOf(p)
			for i := 0; i < v.NumField(); i++ {
				f := v.Type().Field(i)
				if f.Type.Kind() == reflect.Interface && v.Field(i).IsNil() {
					t.Errorf("%s (dark=%v): role %s is unset", name, dark, f.Name)
				}
			}
		}
	}
}

func TestDefaultAdaptsOthersDoNot(t *testing.T) {
	d, _ := Get("", true)
	l, _ := Get("DEFAULT", false)
	if !d.Dark || l.Dark || !d.Adaptive || d.Fg == l.Fg {
		t.Fatalf("default should adapt: dark=%+v light=%+v", d.Fg, l.Fg)
	}
	a, _ := Get("dracula", true)
	b, _ := Get("dracula", false)
	if a != b || a.Adaptive {
		t.Fatal("fixed themes must not depend on the terminal background")
	}
	if s, _ := Get("solarized-light", true); s.Dark {
		t.Fatal("solarized-light is a light theme")
	}
}

func TestUnknownThemeListsKnown(t *testing.T) {
	_, err := Get("neon", true)
	if err == nil || !strings.Contains(err.Error(), "catppuccin-mocha") || !strings.Contains(err.Error(), `"neon"`) {
		t.Fatalf("err = %v", err)
	}
	if n := Names(); n[0] != "default" || len(n) != 6 {
		t.Fatalf("Names() = %v", n)
	}
}
