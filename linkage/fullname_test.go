package linkage

import "testing"

func TestCompareFullNames(t *testing.T) {
	cases := []struct {
		a, b string
		want FullNameLevel
	}{
		{"Godoy Romero, Jefferson", "Jefferson Godoy Romero", FullNameClose},
		{"GODOY, JEFFERSON JOSUE", "Jefferson Godoy Romero", FullNameTwoWords},
		{"LIMA, CARLOS EDUARDO", "Charly Lima Barbosa", FullNameTwoWords}, // Charly is Carlos
		{"Pérez, Ana", "Ana María Pérez López", FullNamePartial},
		{"Ana Pérez", "Ana Gómez", FullNameOneWord},
		{"Juan", "Pedro", FullNameElse},
		{"Juan", "Juan", FullNameExact},
		{"", "Juan", FullNameMissing},
	}
	for _, c := range cases {
		a, b := NewName(c.a), NewName(c.b)
		if got := CompareFullNames(&a, &b); got != c.want {
			t.Errorf("%q, %q: %v, want %v", c.a, c.b, got, c.want)
		}
		if got := CompareFullNames(&b, &a); got != c.want {
			t.Errorf("%q, %q (reversed): %v, want %v", c.b, c.a, got, c.want)
		}
	}
}
