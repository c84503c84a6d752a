// Command warden is Warden's one binary: the policy tools today, and the
// IAM and STS server as it arrives.
package main

import (
	"errors"
	"fmt"
	"os"
)

func main() {
	err := newRootCommand(os.Stdin, os.Stdout, os.Stderr).Execute()
	var ee *exitError
	switch {
	case errors.As(err, &ee):
		os.Exit(ee.code)
	case err != nil:
		fmt.Fprintln(os.Stderr, "warden:", err)
		os.Exit(2)
	}
}

// exitError ends the program with a status code after the command has
// already said what it had to.
type exitError struct{ code int }

func (e *exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }
