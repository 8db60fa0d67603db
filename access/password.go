package access

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Password hashing: Argon2id (RFC 9106) with the second recommended
// option for machines with less memory (3 passes, 64 MiB, 4 lanes), a
// 16-byte random salt and a 32-byte tag, written in the PHC string form
// other tools read:
//
//	$argon2id$v=19$m=65536,t=3,p=4$SALT$HASH
//
// The parameters travel with the hash, so they can be raised later and old
// hashes still verify (and can be re-hashed at the next sign-in, see
// NeedsRehash).

// HashParams are Argon2id's cost parameters.
type HashParams struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
}

// DefaultHashParams are RFC 9106's second recommended option.
var DefaultHashParams = HashParams{Memory: 64 * 1024, Time: 3, Threads: 4}

const (
	saltLen = 16
	tagLen  = 32
	// MinPasswordLen and MaxPasswordLen bound a password, in characters:
	// long passphrases are welcome, but hashing an unbounded input is a
	// denial of service.
	MinPasswordLen = 12
	MaxPasswordLen = 1024
)

// ErrMismatch is returned by VerifyPassword for a wrong password.
var ErrMismatch = errors.New("access: wrong password")

// CheckPassword reports why a new password is refused, or nil.
func CheckPassword(pw string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case !utf8.ValidString(pw):
		return errors.New("the password is not valid text")
	case n < MinPasswordLen:
		return fmt.Errorf("the password must have at least %d characters", MinPasswordLen)
	case n > MaxPasswordLen:
		return fmt.Errorf("the password must have at most %d characters", MaxPasswordLen)
	}
	return nil
}

// HashPassword returns the PHC string of the password under p.
func HashPassword(pw string, p HashParams) (string, error) {
	if err := CheckPassword(pw); err != nil {
		return "", err
	}
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	tag := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, tagLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(tag)), nil
}

// parseHash reads a PHC string written by HashPassword.
func parseHash(h string) (HashParams, []byte, []byte, error) {
	var p HashParams
	parts := strings.Split(h, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, errors.New("access: not an argon2id hash")
	}
	var v int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &v); err != nil || v != argon2.Version {
		return p, nil, nil, fmt.Errorf("access: argon2 version %q is not %d", parts[2], argon2.Version)
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil ||
		p.Time == 0 || p.Threads == 0 || p.Memory < 8*uint32(p.Threads) || p.Memory > 4*1024*1024 || p.Time > 100 {
		return p, nil, nil, fmt.Errorf("access: bad argon2 parameters %q", parts[3])
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil || len(salt) < 8 {
		return p, nil, nil, errors.New("access: bad salt")
	}
	tag, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(tag) < 16 {
		return p, nil, nil, errors.New("access: bad hash")
	}
	return p, salt, tag, nil
}

// VerifyPassword reports whether pw is the password of the PHC string h:
// nil when it is, ErrMismatch when it is not, another error when h is not
// a hash this package reads. The comparison takes the same time whatever
// the password.
func VerifyPassword(h, pw string) error {
	p, salt, tag, err := parseHash(h)
	if err != nil {
		return err
	}
	if len(pw) > 4*MaxPasswordLen {
		return ErrMismatch
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(tag)))
	if subtle.ConstantTimeCompare(got, tag) != 1 {
		return ErrMismatch
	}
	return nil
}

// NeedsRehash reports whether a hash was made under parameters weaker
// than p, so that a successful sign-in can store a new one.
func NeedsRehash(h string, p HashParams) bool {
	q, _, _, err := parseHash(h)
	return err != nil || q.Memory < p.Memory || q.Time < p.Time || q.Threads < p.Threads
}
