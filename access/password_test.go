package access

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"golang.org/x/crypto/argon2"
)

// cheap keeps the tests fast; the default parameters are measured by the
// benchmark.
var cheap = HashParams{Memory: 64, Time: 1, Threads: 1}

func TestPasswordRoundTrip(t *testing.T) {
	pw := "correct horse battery staple ñandú"
	h, err := HashPassword(pw, cheap)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("hash %q", h)
	}
	if err := VerifyPassword(h, pw); err != nil {
		t.Fatalf("the right password: %v", err)
	}
	for _, wrong := range []string{"correct horse battery staple nandu", "", pw + " ", strings.ToUpper(pw)} {
		if err := VerifyPassword(h, wrong); !errors.Is(err, ErrMismatch) {
			t.Errorf("%q: %v", wrong, err)
		}
	}
	// Two hashes of one password differ by their salt.
	h2, _ := HashPassword(pw, cheap)
	if h2 == h {
		t.Error("two hashes of one password are equal: no salt")
	}
}

// TestPasswordKnownAnswer checks the stored form against Argon2id itself:
// the tag is IDKey of the password and the salt the string carries, under
// the parameters it carries.
func TestPasswordKnownAnswer(t *testing.T) {
	salt := []byte("0123456789abcdef")
	tag := argon2.IDKey([]byte("a long enough password"), salt, 2, 128, 1, 32)
	b64 := base64.RawStdEncoding
	h := "$argon2id$v=19$m=128,t=2,p=1$" + b64.EncodeToString(salt) + "$" + b64.EncodeToString(tag)
	if err := VerifyPassword(h, "a long enough password"); err != nil {
		t.Fatalf("a hash made by argon2 directly: %v", err)
	}
	// The reference implementation's Argon2id test vector (phc-winner-argon2,
	// test.c: password "password", salt "somesalt", m=65536, t=2, p=1),
	// in its PHC string form: a hash written by another tool verifies.
	const ref = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"
	if got := hex.EncodeToString(argon2.IDKey([]byte("password"), []byte("somesalt"), 2, 65536, 1, 32)); got != "09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7" {
		t.Fatalf("IDKey of the reference vector: %s", got)
	}
	p, salt, tag, err := parseHash(ref)
	if err != nil || p != (HashParams{Memory: 65536, Time: 2, Threads: 1}) || string(salt) != "somesalt" || hex.EncodeToString(tag) != "09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7" {
		t.Fatalf("parse of the reference string: %+v %q %x %v", p, salt, tag, err)
	}
	if err := VerifyPassword(ref, "password"); err != nil {
		t.Fatalf("the reference string does not verify: %v", err)
	}
}

func TestPasswordBadInput(t *testing.T) {
	for _, pw := range []string{"short", strings.Repeat("x", MaxPasswordLen+1), "\xff\xfe invalid utf-8"} {
		if _, err := HashPassword(pw, cheap); err == nil {
			t.Errorf("%.20q was hashed", pw)
		}
	}
	h, _ := HashPassword("a long enough password", cheap)
	for _, bad := range []string{
		"", "plain", "$argon2i$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
		strings.Replace(h, "v=19", "v=16", 1), strings.Replace(h, "m=64", "m=999999999", 1),
		strings.Replace(h, "t=1", "t=0", 1), h + "$extra", strings.Replace(h, "$argon2id$", "$argon2id$$", 1),
	} {
		if err := VerifyPassword(bad, "a long enough password"); err == nil || errors.Is(err, ErrMismatch) {
			t.Errorf("%q: %v, want a format error", bad, err)
		}
	}
	if !NeedsRehash(h, DefaultHashParams) || NeedsRehash(h, cheap) || !NeedsRehash("junk", cheap) {
		t.Error("NeedsRehash")
	}
}

// BenchmarkHashPassword measures one hash under the default parameters:
// the cost of a sign-in on this machine.
func BenchmarkHashPassword(b *testing.B) {
	for b.Loop() {
		if _, err := HashPassword("a long enough password", DefaultHashParams); err != nil {
			b.Fatal(err)
		}
	}
}
