package tips

import (
	"encoding/base64"
	"strings"
	"testing"
)

func TestCheckMessage(t *testing.T) {
	tests := []struct {
		name, in, want string
		ok             bool
	}{
		{"kept as it is", "Estas en fuego", "Estas en fuego", true},
		{"trimmed", "  \tHola  \n", "Hola", true},
		{"empty", "", "", false},
		{"only spaces", "   ", "", false},
		{"280 characters (multi-byte) fit", strings.Repeat("ñ", 280), strings.Repeat("ñ", 280), true},
		{"281 characters do not", strings.Repeat("a", 281), "", false},
		{"a newline inside", "one\ntwo", "", false},
		{"a NUL", "a\x00b", "", false},
		{"a C1 control", "a\u0085b", "", false},
		{"emoji are fine", "¡Combo x10! 🔥", "¡Combo x10! 🔥", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CheckMessage(tt.in)
			if (err == nil) != tt.ok || got != tt.want {
				t.Errorf("CheckMessage(%q) = %q, %v; want %q, ok=%v", tt.in, got, err, tt.want, tt.ok)
			}
		})
	}
}

func TestNew_IDIsTheContents(t *testing.T) {
	a := New("tip", "es", "Hola")
	if b := New("tip", "es", "Hola"); a != b {
		t.Errorf("same tip, two ids: %+v and %+v", a, b)
	}
	for _, other := range []Tip{New("lore", "es", "Hola"), New("tip", "en", "Hola"), New("tip", "es", "Hola!")} {
		if other.ID == a.ID {
			t.Errorf("%+v has the id of %+v", other, a)
		}
	}
	if !ValidTipID(a.ID) {
		t.Errorf("id %q is not 16 hex digits", a.ID)
	}
}

func TestShelves(t *testing.T) {
	tests := []struct {
		lang, typ string
		want      int
		first     Shelf
	}{
		{"", "", 8, Shelf{"es", "tip"}},
		{"en", "", 4, Shelf{"en", "tip"}},
		{"", "lore", 2, Shelf{"es", "lore"}},
		{"en", "status", 1, Shelf{"en", "status"}},
	}
	for _, tt := range tests {
		got := Shelves(tt.lang, tt.typ)
		if len(got) != tt.want || got[0] != tt.first {
			t.Errorf("Shelves(%q, %q) = %v, want %d starting with %v", tt.lang, tt.typ, got, tt.want, tt.first)
		}
	}
}

func TestCursor_RoundTripAndTampering(t *testing.T) {
	p := Position{Shelf: 3, After: "0123456789abcdef"}
	c := EncodeCursor("es", "", p)
	if got, err := DecodeCursor(c, "es", "", 4); err != nil || got != p {
		t.Fatalf("DecodeCursor(EncodeCursor(%v)) = %v, %v", p, got, err)
	}
	start := EncodeCursor("", "", Position{Shelf: 1})
	if got, err := DecodeCursor(start, "", "", 8); err != nil || got != (Position{Shelf: 1}) {
		t.Errorf("a shelf's start: %v, %v", got, err)
	}
	raw, _ := base64.RawURLEncoding.DecodeString(c)
	edited := base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(string(raw), "3.", "2.", 1)))
	bad := map[string]string{
		"edited position":       edited,
		"a flipped character":   flip(c),
		"cut short":             c[:len(c)-3],
		"not base64":            "%%%",
		"empty":                 "",
		"another language":      "", // filled below
		"a shelf out of range":  EncodeCursor("es", "", Position{Shelf: 4}),
		"not a tip id":          EncodeCursor("es", "", Position{Shelf: 0, After: "../x"}),
		"a negative shelf":      EncodeCursor("es", "", Position{Shelf: -1}),
		"padded base64 variant": c + "==",
	}
	for name, cur := range bad {
		lang := "es"
		if name == "another language" {
			cur, lang = c, "en"
		}
		if got, err := DecodeCursor(cur, lang, "", 4); err == nil {
			t.Errorf("%s: cursor %q accepted as %v", name, cur, got)
		}
	}
}

func flip(s string) string {
	b := []byte(s)
	i := len(b) / 2
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	return string(b)
}

func TestSeedTips_CoverEveryShelfWithTheOriginals(t *testing.T) {
	tips, err := SeedTips()
	if err != nil {
		t.Fatal(err)
	}
	if len(tips) < 34 {
		t.Errorf("seed.json has %d tips, want at least 34", len(tips))
	}
	perShelf := map[Shelf]int{}
	ids := map[string]Tip{}
	for _, tip := range tips {
		perShelf[Shelf{tip.Lang, tip.Type}]++
		if prev, dup := ids[tip.ID]; dup {
			t.Errorf("%+v and %+v share an id", prev, tip)
		}
		ids[tip.ID] = tip
	}
	for _, sh := range Shelves("", "") {
		if perShelf[sh] < 4 {
			t.Errorf("shelf %v has %d tips, want at least 4", sh, perShelf[sh])
		}
	}
	originals := []Tip{
		New("tip", "es", "Evita movimientos bruscos ya que te pueden costar una vida"),
		New("bonus", "es", "Si superas el record subimos tu beca en la escuela"),
		New("lore", "es", "Este juego es tan sencillo que lo dificil sera no jugarlo"),
		New("status", "es", "Estas en fuego"),
	}
	for _, o := range originals {
		if _, ok := ids[o.ID]; !ok {
			t.Errorf("the original %s %q is not in seed.json", o.Type, o.Message)
		}
	}
}
