// Command db20 runs a script: db20 run FILE, or db20 run - for standard input (SPEC §7).
package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"db20/script"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) != 2 || args[0] != "run" {
		fmt.Fprintln(stderr, "usage: db20 run FILE|-")
		return 2
	}
	in := stdin
	if args[1] != "-" {
		f, err := os.Open(args[1])
		if err != nil {
			fmt.Fprintf(stderr, "db20 run: %v\n", err)
			return 2
		}
		defer f.Close()
		in = f
	}
	err := script.NewRunner(stdout).Run(in)
	var lineErr *script.Error
	switch {
	case err == nil:
		return 0
	case errors.As(err, &lineErr):
		fmt.Fprintln(stderr, lineErr.Error())
	default:
		fmt.Fprintf(stderr, "db20 run: %v\n", err)
	}
	return 2
}
