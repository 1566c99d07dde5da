// Command tips is the tips service's Lambda function.
package main

import (
	"github.com/lightpress/lightpress/microservices/platform"
	"github.com/lightpress/lightpress/microservices/tips"
)

func main() { platform.Main(tips.NewFunction) }
