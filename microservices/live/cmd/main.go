// Command live is the live board service's Lambda function.
package main

import (
	"github.com/lightpress/lightpress/microservices/live"
	"github.com/lightpress/lightpress/microservices/platform"
)

func main() { platform.Main(live.NewFunction) }
