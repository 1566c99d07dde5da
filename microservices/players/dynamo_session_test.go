package players

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/platform"
)

func newClockedStore(t *testing.T) (*DynamoStore, *mototest.Clock) {
	t.Helper()
	s, _, _ := newTestStore(t)
	clock := mototest.NewClock(testNow)
	s.Now = clock.Now
	return s, clock
}

// registered creates a player with a first session and returns its refresh token.
func registered(t *testing.T, s *DynamoStore, nickname string) (Player, string) {
	t.Helper()
	p := NewPlayer(platform.NewID(), nickname, LocaleEN, s.Now())
	e, err := events.New(platform.NewID(), Source, events.TypePlayerRegistered, p.ID, p.CreatedAt, p.Registered(), "")
	if err != nil {
		t.Fatal(err)
	}
	sess, token := NewSession(p.ID, s.Now())
	if err := s.Create(mototest.Context(t), p, sess, e); err != nil {
		t.Fatal(err)
	}
	return p, token
}

func refresh(t *testing.T, s *DynamoStore, token string) (Session, string, error) {
	t.Helper()
	return s.Refresh(mototest.Context(t), HashSecret(token))
}

func TestDynamoStore_RefreshRotatesAndAReuseRevokesTheFamily(t *testing.T) {
	s, clock := newClockedStore(t)
	p, first := registered(t, s, "Ana")
	clock.Advance(time.Hour)
	sess, second, err := refresh(t, s, first)
	if err != nil || sess.PlayerID != p.ID || second == first {
		t.Fatalf("first refresh = %+v %q %v; want a new token of %s", sess, second, err, p.ID)
	}
	// The answer was lost and the client tries again at once: a retry.
	clock.Advance(5 * time.Second)
	_, retried, err := refresh(t, s, first)
	if err != nil {
		t.Fatalf("a retry within %v: %v; want a new pair", RefreshReuseGrace, err)
	}
	// Later, the rotated token comes back: someone else has a copy.
	clock.Advance(RefreshReuseGrace)
	if _, _, err := refresh(t, s, first); !errors.Is(err, ErrRefreshReused) {
		t.Fatalf("a reuse after the grace: %v, want ErrRefreshReused", err)
	}
	for name, tok := range map[string]string{"the successor": second, "the retry's": retried, "the reused one": first} {
		if _, _, err := refresh(t, s, tok); !errors.Is(err, ErrRefreshRefused) && !errors.Is(err, ErrRefreshReused) {
			t.Errorf("%s token after the revocation: %v, want refused", name, err)
		}
	}
	// Another family of the same player (another device) is untouched.
	other, token := NewSession(p.ID, clock.Now())
	start, err := s.sessionStart(other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB.TransactWriteItems(mototest.Context(t), &dynamodb.TransactWriteItemsInput{TransactItems: start}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := refresh(t, s, token); err != nil {
		t.Errorf("another family of the player after the revocation: %v", err)
	}
}

func TestDynamoStore_RefreshRefusesWhatCannotContinue(t *testing.T) {
	s, clock := newClockedStore(t)
	_, token := registered(t, s, "Ana")
	if _, _, err := refresh(t, s, "never-issued"); !errors.Is(err, ErrRefreshRefused) {
		t.Errorf("an unknown token: %v", err)
	}
	// A guest who never finishes a game is gone after UnplayedGuestTTL,
	// before the table's TTL deletes the item.
	clock.Advance(UnplayedGuestTTL + time.Minute)
	if _, _, err := refresh(t, s, token); !errors.Is(err, ErrRefreshRefused) {
		t.Errorf("the token of an expired guest: %v, want ErrRefreshRefused", err)
	}
	p, token := registered(t, s, "Bob")
	if _, err := s.ApplyGame(mototest.Context(t), Game{ID: platform.NewID(), PlayerID: p.ID, Mode: ModeClassic, Score: 5, FinishedAt: clock.Now()}); err != nil {
		t.Fatal(err)
	}
	clock.Advance(RefreshTokenTTL - time.Hour)
	_, next, err := refresh(t, s, token)
	if err != nil {
		t.Fatalf("a player who played, back after %v: %v; want them signed in", RefreshTokenTTL-time.Hour, err)
	}
	clock.Advance(RefreshTokenTTL)
	if _, _, err := refresh(t, s, next); !errors.Is(err, ErrRefreshRefused) {
		t.Errorf("a token unused for RefreshTokenTTL: %v, want ErrRefreshRefused", err)
	}
}

// Two tabs that refresh with the same token at the same moment are a
// retry, not a theft: both get a session and the family lives on.
func TestDynamoStore_ConcurrentRefreshesOfOneTokenBothSucceed(t *testing.T) {
	s, _ := newClockedStore(t)
	_, token := registered(t, s, "Ana")
	var wg sync.WaitGroup
	results := make([]string, 2)
	errs := make([]error, 2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, results[i], errs[i] = refresh(t, s, token)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("refresh %d: %v", i, err)
		}
		if _, _, err := refresh(t, s, results[i]); err != nil {
			t.Errorf("the successor of refresh %d: %v", i, err)
		}
	}
}

func TestDynamoStore_UnplayedGuestsExpireAndAGameKeepsThem(t *testing.T) {
	s, clock := newClockedStore(t)
	ctx := mototest.Context(t)
	idle, _ := registered(t, s, "Idle")
	player, _ := registered(t, s, "Player")
	keeper, _ := registered(t, s, "Keeper")
	if _, err := s.ApplyGame(ctx, Game{ID: platform.NewID(), PlayerID: player.ID, Mode: ModeMemory, Score: 3, FinishedAt: clock.Now()}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetRecoveryCode(ctx, keeper.ID, HashSecret(NewRecoveryCode())); err != nil {
		t.Fatal(err)
	}
	item := func(id string) map[string]any {
		out, err := s.DB.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(s.Table), Key: playerKey(id)})
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]any{}
		for k := range out.Item {
			m[k] = true
		}
		return m
	}
	if item(idle.ID)["expiresAt"] == nil || item(player.ID)["expiresAt"] != nil || item(keeper.ID)["expiresAt"] != nil {
		t.Errorf("TTL attributes: idle %v, played %v, with a code %v; want only the idle guest's", item(idle.ID), item(player.ID), item(keeper.ID))
	}
	clock.Advance(UnplayedGuestTTL - time.Minute)
	if _, err := s.Player(ctx, idle.ID); err != nil {
		t.Errorf("an idle guest before UnplayedGuestTTL: %v", err)
	}
	clock.Advance(2 * time.Minute)
	if _, err := s.Player(ctx, idle.ID); !errors.Is(err, ErrPlayerNotFound) {
		t.Errorf("an idle guest after UnplayedGuestTTL: %v, want ErrPlayerNotFound", err)
	}
	for _, p := range []Player{player, keeper} {
		if _, err := s.Player(ctx, p.ID); err != nil {
			t.Errorf("%s after UnplayedGuestTTL: %v; want kept", p.Nickname, err)
		}
	}
}

func TestDynamoStore_RecoveryCodes(t *testing.T) {
	s, clock := newClockedStore(t)
	ctx := mototest.Context(t)
	p, _ := registered(t, s, "Ana")
	if _, err := s.RecoveryCode(ctx, p.ID); !errors.Is(err, ErrNoRecoveryCode) {
		t.Errorf("before any code: %v, want ErrNoRecoveryCode", err)
	}
	first := NewRecoveryCode()
	made, err := s.SetRecoveryCode(ctx, p.ID, HashSecret(first))
	if err != nil || !made.CreatedAt.Equal(clock.Now()) {
		t.Fatalf("SetRecoveryCode = %+v, %v", made, err)
	}
	clock.Advance(time.Hour)
	sess, token, err := s.Recover(ctx, HashSecret(first))
	if err != nil || sess.PlayerID != p.ID {
		t.Fatalf("Recover = %+v, %v; want a session of %s", sess, err, p.ID)
	}
	if _, _, err := refresh(t, s, token); err != nil {
		t.Errorf("the recovered session's refresh token: %v", err)
	}
	info, err := s.RecoveryCode(ctx, p.ID)
	if err != nil || info.LastUsedAt == nil || !info.LastUsedAt.Equal(clock.Now()) {
		t.Errorf("RecoveryCode after a use = %+v, %v; want lastUsedAt now", info, err)
	}
	// A new code replaces the old one.
	second := NewRecoveryCode()
	if _, err := s.SetRecoveryCode(ctx, p.ID, HashSecret(second)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Recover(ctx, HashSecret(first)); !errors.Is(err, ErrRecoveryRefused) {
		t.Errorf("the replaced code: %v, want ErrRecoveryRefused", err)
	}
	if _, _, err := s.Recover(ctx, HashSecret(second)); err != nil {
		t.Errorf("the new code: %v", err)
	}
	if _, _, err := s.Recover(ctx, HashSecret(NewRecoveryCode())); !errors.Is(err, ErrRecoveryRefused) {
		t.Errorf("a code nobody has: %v, want ErrRecoveryRefused", err)
	}
	if _, err := s.SetRecoveryCode(ctx, platform.NewID(), HashSecret(NewRecoveryCode())); !errors.Is(err, ErrPlayerNotFound) {
		t.Errorf("a code for nobody: %v, want ErrPlayerNotFound", err)
	}
}

func TestDynamoStore_TakeCountsPerWindow(t *testing.T) {
	s, clock := newClockedStore(t)
	ctx := mototest.Context(t)
	limit := platform.RateLimit{Max: 3, Window: 10 * time.Minute}
	clock.Set(clock.Now().Truncate(limit.Window).Add(4 * time.Minute))
	for i := range limit.Max {
		if err := s.Take(ctx, "REGISTER#a", limit); err != nil {
			t.Fatalf("use %d of %d: %v", i+1, limit.Max, err)
		}
	}
	var limited *platform.RateLimitedError
	if err := s.Take(ctx, "REGISTER#a", limit); !errors.As(err, &limited) || limited.RetryAfter != 6*time.Minute {
		t.Fatalf("use %d: %v, want RateLimitedError with RetryAfter 6m (the window's end)", limit.Max+1, err)
	}
	if err := s.Take(ctx, "REGISTER#b", limit); err != nil {
		t.Errorf("another key in the same window: %v", err)
	}
	clock.Advance(6 * time.Minute)
	if err := s.Take(ctx, "REGISTER#a", limit); err != nil {
		t.Errorf("the next window: %v", err)
	}
}
