// Command achievements is the achievements service's Lambda function.
package main

import (
	"github.com/lightpress/lightpress/microservices/achievements"
	"github.com/lightpress/lightpress/microservices/platform"
)

func main() { platform.Main(achievements.NewFunction) }
