package main

// The registration limits over a real `lightpress up`: the players
// function's per-address limit (RegistrationsPerAddress) and, with
// EnableWaf, the template's WAF rate rule that lightpress up enforces in
// front of the API. A refused registration is a 429 with Retry-After and
// leaves nothing behind; an accepted one is a player with its event. The
// clock is moved, not slept, to see the limits reset. Requests come from
// 127.0.0.x source addresses, as from different networks.

import (
	"encoding/json"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lightpress/lightpress/events"
)

func TestLimits_RegistrationsPerAddressAnswer429WithRetryAfterAndLoseNothing(t *testing.T) {
	up := startUpWith(t, []string{"--movable-clock", "--parameter", "RegistrationsPerAddress=5",
		"--parameter", "EnableWaf=true", "--parameter", "WafRegistrationLimit=10"})
	if !strings.Contains(up.stdout.String(), "AWS WAF") {
		t.Errorf("lightpress up does not say it enforces the WAF rule:\n%s", up.stdout)
	}
	evs := subscribe(t, up.Endpoint)
	base := up.URL
	var mu sync.Mutex
	accepted := map[string]bool{} // player ids
	registerFrom := func(source string) answer {
		a := sendFrom(t, source, "POST", base+"/api/players", []byte(`{}`))
		if a.Status == 201 {
			var reg struct{ Player struct{ ID string } }
			if err := json.Unmarshal(a.Body, &reg); err != nil || reg.Player.ID == "" {
				t.Fatalf("registration answer %s", a)
			}
			mu.Lock()
			accepted[reg.Player.ID] = true
			mu.Unlock()
		}
		return a
	}
	wantLimited := func(what string, a answer, maxRetry int) {
		t.Helper()
		p := wantProblem(t, what, a, 429)
		secs, err := strconv.Atoi(a.Header.Get("Retry-After"))
		if err != nil || secs < 1 || secs > maxRetry {
			t.Errorf("%s: Retry-After %q, want 1 to %d seconds", what, a.Header.Get("Retry-After"), maxRetry)
		}
		if !strings.HasSuffix(p.Type, "/too-many-registrations") {
			t.Errorf("%s: problem %+v, want too-many-registrations", what, p)
		}
	}

	// Eight at once from one address: exactly five get through.
	answers := make([]answer, 8)
	var wg sync.WaitGroup
	for i := range answers {
		wg.Add(1)
		go func() { defer wg.Done(); answers[i] = registerFrom("127.0.0.2") }()
	}
	wg.Wait()
	created := 0
	for _, a := range answers {
		switch a.Status {
		case 201:
			created++
		default:
			wantLimited("a sixth registration from 127.0.0.2", a, 600)
		}
	}
	if created != 5 {
		t.Errorf("%d of 8 concurrent registrations from one address accepted, want 5", created)
	}
	if a := registerFrom("127.0.0.3"); a.Status != 201 {
		t.Errorf("another address is limited too: %s", a)
	}

	// The WAF rule (10 per 5 minutes per IP) counts every registration
	// request, the function's refusals too: the 11th is answered at the
	// edge, before any function runs (plain JSON, as WAF sends it).
	for i := 1; i <= 12; i++ {
		a := registerFrom("127.0.0.4")
		switch {
		case i <= 5 && a.Status != 201:
			t.Errorf("registration %d from 127.0.0.4: %s", i, a)
		case i > 5 && i <= 10:
			if ct := a.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("registration %d: %s, want the players function's 429 problem", i, a)
			}
			wantLimited("a registration past the function's limit", a, 600)
		case i > 10:
			if a.Status != 429 || a.Header.Get("Content-Type") != "application/json" || a.Header.Get("Retry-After") != "300" ||
				!strings.Contains(string(a.Body), "too-many-registrations") {
				t.Errorf("registration %d: %s (Retry-After %q), want the WAF rule's 429", i, a, a.Header.Get("Retry-After"))
			}
		}
	}

	// Nothing is lost and nothing extra is written: every accepted player
	// exists, with one PlayerRegistered; no refused request made either.
	deadline := time.Now().Add(15 * time.Second)
	for {
		n := map[string]int{}
		total := 0
		for _, e := range evs.all() {
			if e.Type == events.TypePlayerRegistered {
				d, _ := events.DecodeData[events.PlayerRegistered](e)
				n[d.PlayerID]++
				total++
			}
		}
		complete := total == len(accepted)
		for id := range accepted {
			complete = complete && n[id] >= 1
		}
		if complete {
			break
		}
		if time.Now().After(deadline) || total > len(accepted) {
			t.Fatalf("%d PlayerRegistered events for %d accepted registrations (%v)", total, len(accepted), n)
		}
		time.Sleep(200 * time.Millisecond)
	}
	for id := range accepted {
		var p playerView
		if st := call(t, "GET", base+"/api/players/"+id, "", nil, &p); st != 200 || p.ID != id {
			t.Errorf("accepted player %s: %d", id, st)
		}
	}
	if len(accepted) != 11 {
		t.Errorf("%d players registered, want 11 (5 + 1 + 5)", len(accepted))
	}

	// Once the windows pass, each address may register again.
	moveClock(t, up, 10*time.Minute)
	for _, source := range []string{"127.0.0.2", "127.0.0.4"} {
		if a := registerFrom(source); a.Status != 201 {
			t.Errorf("%s after the window: %s", source, a)
		}
	}
}
