package leaderboard

// DynamoStore keeps the boards in the Leaderboard table (keys pk/sk,
// strings; TTL on expiresAt). Only this service reads or writes it. It
// decides nothing itself: ranking.PlanGame decides what a game changes,
// the store reads what a plan needs and executes it (items.go: the items,
// read.go: the board reads, record.go: games, rename.go: nicknames).
//
// # Items
//
//	item     pk                                  sk                                          attributes
//	entry    BOARD#<mode>#<periodKey>#<shard>     <10-digit MaxScore-score>#<achievedAt>#<playerId>
//	                                                                                         kind=entry playerId gameId score level achievedAt
//	                                                                                         nickname? nicknameAt? expiresAt?
//	top      TOP#<mode>#<periodKey>              TOP                                         kind=top version rows (S: JSON [[p g s l t n nt], ...], topRows) expiresAt?
//	best     PLAYER#<playerId>                   BEST#<mode>#<periodKey>                     kind=best playerId mode period periodKey gameId score level
//	                                                                                         achievedAt entryPk entrySk expiresAt?
//	profile  PLAYER#<playerId>                   PROFILE                                     kind=profile nickname nicknameAt
//	outbox   OUTBOX#<eventId>                    OUTBOX                                      platform.OutboxPut (LeaderboardEntered)
//
// <periodKey> is "all", a UTC date (2026-11-21) or an ISO week (2026-W47),
// so the three boards of a mode never share a key; a daily challenge's
// board, whose period key is a date too, is "daily-" and the date in the
// keys (its challenge's id, boardID), so it never shares the day board's.
// achievedAt is UTC to the millisecond in fixed width
// (2026-11-21T10:04:05.123Z); nicknameAt, and a top row's t and nt, are
// Unix milliseconds.
//
// # Entries: a board sorted by its sort key
//
// An entry's sk is the ranking order itself: the score inverted and
// zero-padded (MaxScore-score in 10 digits), so that ascending sk is the
// highest score first; then achievedAt ascending (the earlier of equal
// scores ranks higher); then playerId, which makes the order total, so a
// rank is a position and a page boundary is exact. A page is a Query
// reading the first N items of each shard: no scan, no sort in memory
// beyond merging shards, and no GSI (an entry is written once, not twice).
//
// # Write sharding: Shards partitions per board
//
// A board's entries are spread over Shards item collections,
// shard = FNV-1a(playerId) % Shards, so one player always lands in the same
// shard and their old entry is deleted from the partition the new one is
// written to. Every improvement costs about 4 WCU in the board's shard (a
// transactional put of the new entry and delete of the old one, 2 WCU each
// for items under 1 KB). A partition takes at most 1,000 WCU/s, so one
// unsharded board would throttle at ~250 improvements a second (a daily
// board near midnight UTC sees every player's first game as one); 8 shards
// raise that to ~2,000/s per board. A page deeper than the top (below)
// reads at most Shards*N items. Shards is part of the key design: changing
// it means rewriting the boards.
//
// # The top: a board's first TopRows entries in one item
//
// The top item holds the board's best ranking.TopRows (100) entries in rank
// order, with the names they show, and a version that grows by one with
// every change. A board's first page of any size the API allows (limit ≤
// 100), and its next pages within the first 100, are one GetItem of it
// (eventually consistent, ~13 KB: 2 RCU), whatever the number of players.
//
// It is kept exact by the games themselves: a game that changes a top
// writes it in the same transaction as its best and entry, conditioned on
// the version it read (ranking.Top.With decides the new top). Two games
// that race on one top cannot both commit: the loser reads again and
// plans again. So the top never disagrees with the entries, whatever the
// order or number of deliveries. A top item that does not exist yet (a new
// board, or one written before tops existed) is built by merging the
// board's shards (each shard's first TopRows, ranking.TopOf) and written
// with attribute_not_exists; a read that finds no top merges the shards
// too. A rename rewrites the player's row (conditioned on the version).
//
// Only games that are on the top write it; the top gate (ranking.Gate)
// spares the others even the read: each store remembers the last row of
// every full top it has seen, which only ever gets better, so a game
// behind it is certainly not on the top. LeaderboardEntered carries the new
// top's first TopSize rows, its version and its row count (the players on
// the board, counted up to TopRows): no count query, no second read.
//
// # Best items: one per player and board
//
// The player's partition holds their best game on each board they are on
// (and their profile). The best item is what concurrent writers agree on:
// a game's transaction puts the new best only if the best is still what it
// read (attribute_not_exists(pk), or the same entrySk and gameId). A
// writer that loses reads again (strongly consistent from the second try:
// the first reads are eventually consistent, half the cost, and a stale
// one only loses a condition) and plans again, so concurrent games of one
// player cannot leave two entries on a board. The best item points at the
// entry (entryPk, entrySk), which is how the old entry is deleted and how a
// rename finds the player's boards; there are at most
// len(Modes)*(1+~33 days+~15 weeks) of them (see retention in ranking),
// and expired ones are filtered out, which bounds a rename.
//
// # Nicknames
//
// GameFinished carries no nickname, so the profile item keeps the latest
// name learnt from PlayerRegistered/PlayerRenamed: it is replaced only by a
// name that Supersedes it (newer nicknameAt, ties by name), so an older
// rename arriving late changes nothing. Entries and top rows copy the name
// at write time. A rename first updates the profile, then (reading the best
// items consistently) every entry, each conditional on the entry's
// nicknameAt not being newer, and every top the player is on. A game's
// transaction holds a ConditionCheck that the profile is still the one it
// read, so a game racing a rename either commits before the rename lists
// the boards (and gets renamed) or fails and plans again with the new
// name. An entry without a name is shown with FallbackNickname.
//
// # Rank
//
// A player's rank below the top is 1 + the entries ahead of theirs: per
// shard a Select=COUNT query of sk < theirs, summed. DynamoDB reads every
// counted item, so this costs about rank * 300 B / 4 KB * 0.5 RCU: ~40 RCU
// at rank 1,000, ~4,000 RCU at rank 100,000 (1 MB pages, the shards in
// parallel). That is acceptable because it is paid only by the per-player
// route (one player looking at their own standing, typically after a
// game), on daily and weekly boards that hold only that period's players,
// while pages of a board never count (a cursor carries the rank it ended
// at). Exact ranks deep in a huge all-time board would need per-shard
// score-bucket counters; updating them in the score's transaction makes
// the popular buckets hot items that conflict, so it is not done until a
// board needs it.
//
// # Retention
//
// Day and week entries, tops and best items carry expiresAt (see
// Board.ExpiresAt), so past boards drop out by TTL; the all-time board is
// kept. A late game for a period that is no longer kept is not recorded
// there.

import (
	"fmt"
	"strconv"
	"time"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/microservices/leaderboard/ranking"
	"github.com/lightpress/lightpress/microservices/platform"
)

// Shards is how many partitions each board's entries are spread over.
const Shards = 8

// recordAttempts bounds RecordGame's optimistic retries before the event
// goes back to the queue (which retries it later, then dead-letters it).
const recordAttempts = 6

const (
	kindEntry = "entry"
	kindBest  = "best"
	kindTop   = "top"
	profileSK = "PROFILE"
	topSK     = "TOP"
	// skTime is achievedAt in keys and attributes: fixed width, so it sorts.
	skTime = "2006-01-02T15:04:05.000Z"
)

// DynamoStore is the Store on DynamoDB.
type DynamoStore struct {
	db    platform.DynamoAPI
	table string
	now   func() time.Time
	gate  *ranking.Gate
}

// NewDynamoStore returns the store of table; now is the clock for event
// times, retention and the gate.
func NewDynamoStore(db platform.DynamoAPI, table string, now func() time.Time) *DynamoStore {
	return &DynamoStore{db: db, table: table, now: now, gate: ranking.NewGate(now)}
}

// ---------------------------------------------------------------- keys

func shardOf(playerID string) int { return ShardOf(playerID, Shards) }

// boardID is b's part of its keys: its period key, or for a daily
// challenge's board the challenge's id (see the key design above).
func boardID(b ranking.Board) string {
	if b.Period == ranking.Challenge {
		return events.DailyChallengePrefix + b.Key
	}
	return b.Key
}

func boardPK(b ranking.Board, shard int) string {
	return "BOARD#" + string(b.Mode) + "#" + boardID(b) + "#" + strconv.Itoa(shard)
}

func topPK(b ranking.Board) string { return "TOP#" + string(b.Mode) + "#" + boardID(b) }

func rankSK(score int, at time.Time, playerID string) string {
	return fmt.Sprintf("%010d#%s#%s", ranking.MaxScore-score, at.UTC().Format(skTime), playerID)
}

func entrySK(g ranking.Game) string        { return rankSK(g.Score, g.AchievedAt, g.PlayerID) }
func positionSK(p ranking.Position) string { return rankSK(p.Score, p.AchievedAt, p.PlayerID) }
func playerPK(playerID string) string      { return "PLAYER#" + playerID }
func bestSK(b ranking.Board) string        { return "BEST#" + string(b.Mode) + "#" + boardID(b) }
