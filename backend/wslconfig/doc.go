// Package wslconfig reads and edits .wslconfig (and reads /etc/wsl.conf) exactly as WSL parses
// them, without losing a byte.
//
// The parser is a port of WSL's own (WSL@HEAD src/shared/configfile/configfile.cpp, summarized in
// wsl-facts.md §4.1): only '#' starts a comment (';' does not), section and key names are a letter
// then letters and digits, keys match case-insensitively as section.key, '"' quotes keep blanks and
// '#', backslash escapes \\ \" \n \t \b and a line continuation, any other escape drops the line,
// the first of duplicate keys wins, and sizes follow ParseMemorySize (uppercase suffixes only).
// Warnings come out in WSL's words, with WSL's line numbers.
//
// It is hand-written on purpose: the INI libraries for Go (gopkg.in/ini.v1, go-ini, and the
// like) treat ';' as a comment, fold or rewrite keys, unquote differently and re-serialize the whole
// file, so they would both misread what WSL reads and rewrite a user's hand-kept comments, spacing,
// BOM and CRLF. Here Parse(b).Bytes() is b for any input (a fuzz target checks it), and Set
// changes only the bytes of one value (or adds one line).
//
// Where WSL is lenient in a way that surprises users (strtoull reading "-1" as 2^64-1, strtol
// clamping huge numbers), Validate and Set refuse the value with a reason rather than write it.
package wslconfig
