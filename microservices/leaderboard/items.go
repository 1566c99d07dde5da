package leaderboard

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/lightpress/lightpress/microservices/leaderboard/ranking"
)

// The table's items (see the key design in dynamo.go) as tagged structs:
// platform.MarshalItem writes them, platform.UnmarshalItem reads them and
// refuses an item missing an attribute a field needs (omitempty marks the
// optional ones).

// entryItem is one line of a board, in its shard.
type entryItem struct {
	PK         string `dynamodbav:"pk"`
	SK         string `dynamodbav:"sk"`
	Kind       string `dynamodbav:"kind"`
	PlayerID   string `dynamodbav:"playerId"`
	GameID     string `dynamodbav:"gameId"`
	Score      int    `dynamodbav:"score"`
	Level      int    `dynamodbav:"level"`
	AchievedAt millis `dynamodbav:"achievedAt"`
	Nickname   string `dynamodbav:"nickname,omitempty"`
	NicknameAt int64  `dynamodbav:"nicknameAt,omitempty"`
	ExpiresAt  int64  `dynamodbav:"expiresAt,omitempty"`
}

// bestItem is a player's best game on one board, pointing at its entry.
type bestItem struct {
	PK         string `dynamodbav:"pk"`
	SK         string `dynamodbav:"sk"`
	Kind       string `dynamodbav:"kind"`
	PlayerID   string `dynamodbav:"playerId"`
	Mode       string `dynamodbav:"mode"`
	Period     string `dynamodbav:"period"`
	PeriodKey  string `dynamodbav:"periodKey"`
	GameID     string `dynamodbav:"gameId"`
	Score      int    `dynamodbav:"score"`
	Level      int    `dynamodbav:"level"`
	AchievedAt millis `dynamodbav:"achievedAt"`
	EntryPK    string `dynamodbav:"entryPk"`
	EntrySK    string `dynamodbav:"entrySk"`
	ExpiresAt  int64  `dynamodbav:"expiresAt,omitempty"`
}

// The newest name this service knows of a player is a
// platform.NicknameItem (platform.RecordNickname keeps it).

// topItem is a board's materialised top (ranking.Top).
type topItem struct {
	PK        string  `dynamodbav:"pk"`
	SK        string  `dynamodbav:"sk"`
	Kind      string  `dynamodbav:"kind"`
	Version   int64   `dynamodbav:"version"`
	Rows      topRows `dynamodbav:"rows"`
	ExpiresAt int64   `dynamodbav:"expiresAt,omitempty"`
}

// topRows are a top's rows, stored as one string attribute: a JSON array
// of [playerId, gameId, score, level, achievedAt, nickname, nicknameAt]
// (times in Unix milliseconds; "" and 0 for a name not known yet). One
// value instead of a list of 100 maps of 7: a third smaller (every byte of
// it is read on every board request) and one value to encode and decode.
type topRows []topRow

type topRow struct {
	PlayerID   string
	GameID     string
	Score      int
	Level      int
	AchievedAt int64
	Nickname   string
	NicknameAt int64
}

func (r topRows) MarshalDynamoDBAttributeValue() (ddbtypes.AttributeValue, error) {
	rows := make([][7]any, len(r))
	for i, row := range r {
		rows[i] = [7]any{row.PlayerID, row.GameID, row.Score, row.Level, row.AchievedAt, row.Nickname, row.NicknameAt}
	}
	raw, err := json.Marshal(rows)
	return &ddbtypes.AttributeValueMemberS{Value: string(raw)}, err
}

func (r *topRows) UnmarshalDynamoDBAttributeValue(av ddbtypes.AttributeValue) error {
	var s string
	if err := attributevalue.Unmarshal(av, &s); err != nil {
		return err
	}
	var rows [][]json.RawMessage
	if err := json.Unmarshal([]byte(s), &rows); err != nil {
		return err
	}
	*r = make(topRows, len(rows))
	for i, row := range rows {
		x := &(*r)[i]
		fields := []any{&x.PlayerID, &x.GameID, &x.Score, &x.Level, &x.AchievedAt, &x.Nickname, &x.NicknameAt}
		if len(row) != len(fields) {
			return fmt.Errorf("row %d has %d fields, not %d", i, len(row), len(fields))
		}
		for j, f := range fields {
			if err := json.Unmarshal(row[j], f); err != nil {
				return fmt.Errorf("row %d field %d: %w", i, j, err)
			}
		}
		if x.PlayerID == "" || x.GameID == "" {
			return fmt.Errorf("row %d has no player or game", i)
		}
	}
	return nil
}

// millis is a time stored as skTime, the fixed-width text the sort keys use.
type millis time.Time

func (m millis) MarshalDynamoDBAttributeValue() (ddbtypes.AttributeValue, error) {
	return &ddbtypes.AttributeValueMemberS{Value: time.Time(m).UTC().Format(skTime)}, nil
}

func (m *millis) UnmarshalDynamoDBAttributeValue(av ddbtypes.AttributeValue) error {
	var s string
	if err := attributevalue.Unmarshal(av, &s); err != nil {
		return err
	}
	t, err := time.Parse(skTime, s)
	*m = millis(t)
	return err
}

func expiresAt(b ranking.Board) int64 {
	if exp, ok := b.ExpiresAt(); ok {
		return exp.Unix()
	}
	return 0
}

func newEntryItem(b ranking.Board, g ranking.Game, nick *ranking.Nickname) entryItem {
	it := entryItem{PK: boardPK(b, shardOf(g.PlayerID)), SK: entrySK(g), Kind: kindEntry, PlayerID: g.PlayerID,
		GameID: g.GameID, Score: g.Score, Level: g.Level, AchievedAt: millis(g.AchievedAt), ExpiresAt: expiresAt(b)}
	if nick != nil {
		it.Nickname, it.NicknameAt = nick.Name, nick.At.UnixMilli()
	}
	return it
}

func (it entryItem) entry() ranking.Entry {
	return ranking.RowOf(it.game(""), nicknameOf(it.Nickname, it.NicknameAt)).Entry(0)
}

func (it entryItem) game(m ranking.Mode) ranking.Game {
	return ranking.Game{PlayerID: it.PlayerID, GameID: it.GameID, Mode: m, Score: it.Score, Level: it.Level,
		AchievedAt: time.Time(it.AchievedAt)}
}

func newBestItem(b ranking.Board, g ranking.Game) bestItem {
	return bestItem{PK: playerPK(g.PlayerID), SK: bestSK(b), Kind: kindBest, PlayerID: g.PlayerID, Mode: string(b.Mode),
		Period: string(b.Period), PeriodKey: b.Key, GameID: g.GameID, Score: g.Score, Level: g.Level,
		AchievedAt: millis(g.AchievedAt), EntryPK: boardPK(b, shardOf(g.PlayerID)), EntrySK: entrySK(g), ExpiresAt: expiresAt(b)}
}

func (it bestItem) game() ranking.Game {
	return ranking.Game{PlayerID: it.PlayerID, GameID: it.GameID, Mode: ranking.Mode(it.Mode), Score: it.Score,
		Level: it.Level, AchievedAt: time.Time(it.AchievedAt)}
}

func (it bestItem) board() ranking.Board {
	return ranking.Board{Mode: ranking.Mode(it.Mode), Period: ranking.Period(it.Period), Key: it.PeriodKey}
}

func nicknameOf(name string, at int64) *ranking.Nickname {
	if name == "" || at == 0 {
		return nil
	}
	return &ranking.Nickname{Name: name, At: time.UnixMilli(at).UTC()}
}

func newTopItem(b ranking.Board, t ranking.Top) topItem {
	return topItem{PK: topPK(b), SK: topSK, Kind: kindTop, Version: t.Version, Rows: rowsOf(t), ExpiresAt: expiresAt(b)}
}

func rowsOf(t ranking.Top) topRows {
	rows := make(topRows, len(t.Rows))
	for i, r := range t.Rows {
		rows[i] = topRow{PlayerID: r.PlayerID, GameID: r.GameID, Score: r.Score, Level: r.Level, AchievedAt: r.AchievedAt.UnixMilli()}
		if r.Nickname != nil {
			rows[i].Nickname, rows[i].NicknameAt = r.Nickname.Name, r.Nickname.At.UnixMilli()
		}
	}
	return rows
}

func (it topItem) top() ranking.Top {
	t := ranking.Top{Version: it.Version, Rows: make([]ranking.Row, len(it.Rows))}
	for i, r := range it.Rows {
		t.Rows[i] = ranking.Row{PlayerID: r.PlayerID, GameID: r.GameID, Score: r.Score, Level: r.Level,
			AchievedAt: time.UnixMilli(r.AchievedAt).UTC(), Nickname: nicknameOf(r.Nickname, r.NicknameAt)}
	}
	return t
}
