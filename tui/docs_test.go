package tui

import (
	"reflect"
	"strings"
	"testing"
)

// TestConfigDocsCoverConfig: every setting of config.toml is documented, and nothing else.
func TestConfigDocsCoverConfig(t *testing.T) {
	typ := reflect.TypeOf(Config{})
	fields := map[string]bool{}
	for i := 0; i < typ.NumField(); i++ {
		fields[strings.Split(typ.Field(i).Tag.Get("toml"), ",")[0]] = true
	}
	docs := map[string]bool{}
	for _, d := range configDocs {
		docs[d.Key] = true
		if !fields[d.Key] {
			t.Errorf("configDocs documents %q, which Config does not have", d.Key)
		}
	}
	for f := range fields {
		if !docs[f] {
			t.Errorf("config.toml setting %q is not documented in configDocs", f)
		}
	}
}

func TestKeysMarkdownHasEveryBinding(t *testing.T) {
	md := KeysMarkdown()
	for _, n := range ActionNames() {
		if !strings.Contains(md, "`"+n+"`") {
			t.Errorf("the keybindings table lacks %s", n)
		}
	}
}
