// Package leaderboard is the leaderboard service: it ranks players by their
// best score per game mode and period (all time, the UTC day and the ISO
// week a game finished in, and the daily challenge it was played for),
// keeps the boards current from GameFinished events and nicknames from the
// players service's events, and publishes LeaderboardEntered when a score
// enters a top 10.
//
// The rules are the ranking package (no I/O); this package is their
// adapters: the DynamoDB store that reads what a plan needs and executes it
// (dynamo.go has the key design), the HTTP routes and the event handlers.
package leaderboard
