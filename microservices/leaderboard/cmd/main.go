// Command leaderboard is the leaderboard service's Lambda function.
package main

import (
	"github.com/lightpress/lightpress/microservices/leaderboard"
	"github.com/lightpress/lightpress/microservices/platform"
)

func main() { platform.Main(leaderboard.NewFunction) }
