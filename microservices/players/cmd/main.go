// Command main is the players function's Lambda entry: wiring only.
package main

import (
	"github.com/lightpress/lightpress/microservices/platform"
	"github.com/lightpress/lightpress/microservices/players"
)

func main() { platform.Main(players.NewFunction) }
