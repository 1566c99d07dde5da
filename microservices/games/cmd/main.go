// Command games is the games service's Lambda entry point.
package main

import (
	"github.com/lightpress/lightpress/microservices/games"
	"github.com/lightpress/lightpress/microservices/platform"
)

func main() { platform.Main(games.NewFunction) }
