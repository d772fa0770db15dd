package tui

type configState struct{}

func (m *Model) renderWSLConfig(r Rect) {}
func (m *Model) renderWSLConf(r Rect)   {}
