// Command lightpress is the developer CLI of Lightpress.
//
//	lightpress up            run the whole stack on this machine (see `lightpress up -h`)
//	lightpress events tail   print every event on the topic as it happens
//	lightpress seed          demo players playing real games through the HTTP API
//	lightpress dlq list      each DLQ's depth and first messages
//	lightpress dlq redrive   move a DLQ's messages back to its queue
//	lightpress keys          rotate the token signing key in two phases
//	lightpress review        list, show, clear or confirm the games fair play held
//	lightpress outbox list   each outbox failure queue and the records it names
//	lightpress outbox replay publish the events of records an outbox relay gave up on
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `lightpress: the Lightpress developer CLI

  lightpress up [flags]      run the whole stack locally: moto (or $AWS_ENDPOINT_URL),
                             every function of the template, client and API on one port
  lightpress events tail [--type T] [--json]
                             print every event on the topic as it happens (Ctrl-C to stop)
  lightpress seed [--players N] [--games M] [--url URL]
                             demo players play real games through the HTTP API
  lightpress dlq list        each DLQ's depth and its first messages
  lightpress dlq redrive Q   move queue Q's DLQ messages back to it (after a fix)
  lightpress keys status|next|promote|retire
                             rotate the token signing key in two phases (docs/DEPLOY.md)
  lightpress review list|show|clear|confirm [GAME]
                             the games fair play held for review: list them, show one,
                             clear it (accepted, on the boards) or confirm it (rejected)
  lightpress outbox list     each outbox failure queue and the stream records it names
  lightpress outbox replay S publish the events of the records service S's relay gave up on

events, dlq, keys and review find the stack started by 'lightpress up' (its .lightpress/stack.json),
or any endpoint with --endpoint (or $AWS_ENDPOINT_URL) and --stage; seed finds its URL there too.

Run 'lightpress <command> -h' for a command's flags.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil && !errors.Is(err, errUsage) {
		fmt.Fprintln(os.Stderr, "lightpress:", err)
		os.Exit(1)
	}
	if errors.Is(err, errUsage) {
		os.Exit(2)
	}
}

var errUsage = errors.New("usage")

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	switch args[0] {
	case "up":
		return up(ctx, args[1:], getenv, stdout, stderr)
	case "events":
		return eventsCmd(ctx, args[1:], getenv, stdout, stderr)
	case "seed":
		return seed(ctx, args[1:], getenv, stdout, stderr)
	case "dlq":
		return dlqCmd(ctx, args[1:], getenv, stdout, stderr)
	case "keys":
		return keysCmd(ctx, args[1:], getenv, stdout, stderr)
	case "review":
		return reviewCmd(ctx, args[1:], getenv, stdout, stderr)
	case "outbox":
		return outboxCmd(ctx, args[1:], getenv, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprintf(stderr, "unknown command %q\n\n%s", args[0], usage)
	return errUsage
}
