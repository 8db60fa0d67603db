// Command rescreen is the registry and workflow of the family-separation
// settlement: one binary for the server, the import and export of agency
// records, the audit chain and the demo.
package main

import (
	"context"
	"fmt"
	"os"
)

func main() {
	if err := run(context.Background(), os.Args, os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "rescreen:", err)
		os.Exit(exitCode(err))
	}
}
