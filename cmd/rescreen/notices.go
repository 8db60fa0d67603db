package main

import (
	"flag"
	"fmt"

	"rescreen/app"
	"rescreen/notice"
)

// checkNoticeTemplates parses every notice template and terms file, so
// that a broken template stops the server at start rather than failing a
// user's notice. A variable so that a test can break it.
var checkNoticeTemplates = func() error {
	if err := notice.Check(); err != nil {
		return fmt.Errorf("the notice templates are broken, the server does not start: %w", err)
	}
	return nil
}

// classCounselFlags are the class counsel a server names on its notices
// when a family's records name none with a telephone number.
type classCounselFlags struct {
	name, phone, email, address string
}

func bindClassCounsel(fs *flag.FlagSet, e env) *classCounselFlags {
	c := &classCounselFlags{}
	fs.StringVar(&c.name, "class-counsel-name", envOr(e, "class-counsel-name", ""), "class counsel named on notices when a family's records name none")
	fs.StringVar(&c.phone, "class-counsel-phone", envOr(e, "class-counsel-phone", ""), "class counsel's telephone number, for the notices")
	fs.StringVar(&c.email, "class-counsel-email", envOr(e, "class-counsel-email", ""), "class counsel's email address, for the notices")
	fs.StringVar(&c.address, "class-counsel-address", envOr(e, "class-counsel-address", ""), "class counsel's mailing address, for the notices")
	return c
}

func (c *classCounselFlags) value() app.ClassCounsel {
	return app.ClassCounsel{Name: c.name, Phone: c.phone, Email: c.email, Address: c.address}
}

// demoClassCounsel is the demo's class counsel: fictitious, with a
// telephone number of the range reserved for fiction.
var demoClassCounsel = app.ClassCounsel{
	Name:    "Class counsel (demo)",
	Phone:   "+1 212 555 0100",
	Email:   "class-counsel@example.org",
	Address: "125 Example Street, New York, NY 10004",
}
