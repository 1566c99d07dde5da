package main

import (
	"github.com/lightpress/lightpress/infraestructure/local"
	"github.com/lightpress/lightpress/microservices/achievements"
	"github.com/lightpress/lightpress/microservices/games"
	"github.com/lightpress/lightpress/microservices/leaderboard"
	"github.com/lightpress/lightpress/microservices/live"
	"github.com/lightpress/lightpress/microservices/players"
	"github.com/lightpress/lightpress/microservices/tips"
)

// services are the functions this binary can run, by the SERVICE_NAME the
// template gives them. The template decides which of them run.
var services = local.Registry{
	"players":      players.NewFunction,
	"games":        games.NewFunction,
	"leaderboard":  leaderboard.NewFunction,
	"achievements": achievements.NewFunction,
	"tips":         tips.NewFunction,
	"live":         live.NewFunction,
}
