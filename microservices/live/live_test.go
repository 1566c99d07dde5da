package live

import (
	"testing"
	"time"

	"github.com/lightpress/lightpress/events"
)

func TestSubscribeRequest_ValidNamesEachBadField(t *testing.T) {
	for _, tc := range []struct {
		req  SubscribeRequest
		want []string
	}{
		{SubscribeRequest{Action: "subscribe", Mode: "classic", Period: "all"}, nil},
		{SubscribeRequest{Action: "subscribe", Mode: "memory"}, nil},
		{SubscribeRequest{Action: "subscribe", Mode: "chess", Period: "year"}, []string{"mode", "period"}},
		{SubscribeRequest{Action: "unsubscribe", Mode: "classic"}, []string{"action"}},
	} {
		got := tc.req.Valid()
		if len(got) != len(tc.want) {
			t.Errorf("%+v: problems %v, want on %v", tc.req, got, tc.want)
		}
		for _, f := range tc.want {
			if got[f] == "" {
				t.Errorf("%+v: no problem on %s (%v)", tc.req, f, got)
			}
		}
	}
	if b := (SubscribeRequest{Action: "subscribe", Mode: "classic"}).Board(); b != (Board{"classic", "all"}) {
		t.Errorf("no period follows %v, want the all-time board", b)
	}
}

func TestBoard_CurrentKeyIsTodayThisWeekOrAll(t *testing.T) {
	at := time.Date(2026, 11, 22, 23, 59, 59, 0, time.FixedZone("UTC-3", -3*3600)) // 2026-11-23 02:59 UTC
	for period, want := range map[string]string{"all": "all", "day": "2026-11-23", "week": "2026-W48", "challenge": "2026-11-23"} {
		if got := (Board{"classic", period}).CurrentKey(at); got != want {
			t.Errorf("%s: %s, want %s", period, got, want)
		}
	}
}

func TestChangeOf_ReadsTheTopAndRefusesWhatIsNoBoard(t *testing.T) {
	top := []events.LeaderboardEntry{{Rank: 1, PlayerID: "p", Nickname: "Ana", Score: 10, GameID: "g"}}
	d := events.LeaderboardEntered{PlayerID: "p", Mode: "classic", Period: "day", PeriodKey: "2026-11-23", Rank: 1, Top: top, TopVersion: 7}
	c, err := ChangeOf(d, time.Now())
	if err != nil || c.Version != 7 || len(c.Top) != 1 || c.Board != (Board{"classic", "day"}) {
		t.Fatalf("%+v %v", c, err)
	}
	if !c.Current(time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)) || c.Current(time.Date(2026, 11, 24, 0, 0, 1, 0, time.UTC)) {
		t.Error("a day's change is current on that day only")
	}
	if m := c.Message(); m.Type != "leaderboard.changed" || m.Mode != "classic" || m.Period != "day" || m.PeriodKey != "2026-11-23" || len(m.Entries) != 1 {
		t.Errorf("message %+v", m)
	}
	noTop := d
	noTop.Top, noTop.TopVersion = nil, 0
	if _, err := ChangeOf(noTop, time.Now()); err != ErrNoTop {
		t.Errorf("no top: %v, want ErrNoTop", err)
	}
	bad := d
	bad.Period = "year"
	if _, err := ChangeOf(bad, time.Now()); err == nil {
		t.Error("a period with no board was read")
	}
	long := d
	long.Top = make([]events.LeaderboardEntry, 11)
	if _, err := ChangeOf(long, time.Now()); err == nil {
		t.Error("a top of 11 was read")
	}
}
