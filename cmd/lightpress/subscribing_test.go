package main

// docs/SUBSCRIBING.md as a subscriber follows it: its shell blocks run, as
// written, with the AWS CLI against a running `lightpress up` (the
// operator's block, which needs CloudFormation in AWS, is the only one
// skipped), and the queue they subscribe receives exactly the event types
// its filter policy names.

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sqs"
	sqstypes "github.com/aws/aws-sdk-go-v2/service/sqs/types"

	"github.com/lightpress/lightpress/events"
	"github.com/lightpress/lightpress/infraestructure/local/mototest"
	"github.com/lightpress/lightpress/microservices/games/replay"
)

// docBlocks returns the ```sh blocks of a markdown document, in order,
// leaving out those tagged otherwise (```sh operator).
func docBlocks(t *testing.T, path string) []string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var blocks []string
	for _, m := range regexp.MustCompile("(?ms)^```sh\n(.*?)^```$").FindAllStringSubmatch(string(raw), -1) {
		blocks = append(blocks, m[1])
	}
	if len(blocks) == 0 {
		t.Fatalf("%s has no sh blocks", path)
	}
	return blocks
}

func TestSubscribing_TheDocumentsCommandsSubscribeAQueueThatGetsWhatItsFilterNames(t *testing.T) {
	awsCLI, err := exec.LookPath("aws")
	if err != nil {
		t.Fatal("the AWS CLI is not installed: pip install awscli (docs/SUBSCRIBING.md's commands are AWS CLI commands)")
	}
	doc := filepath.Join("..", "..", "docs", "SUBSCRIBING.md")
	raw, _ := os.ReadFile(doc)
	// The table gives each event type its own filter policy.
	for _, typ := range events.Types {
		row := fmt.Sprintf("| `%s` | `{\"type\": [\"%s\"]}` |", typ, typ)
		if !strings.Contains(string(raw), row) {
			t.Errorf("SUBSCRIBING.md has no filter policy row for %s (%s)", typ, row)
		}
	}

	up := startUp(t)
	blocks := docBlocks(t, doc)
	split := slices.IndexFunc(blocks, func(b string) bool { return strings.Contains(b, "sqs receive-message") })
	if split < 1 {
		t.Fatal("SUBSCRIBING.md has no block reading the queue after the ones that subscribe it")
	}
	// Variables the first blocks set carry over to the later ones, as in one shell.
	var names []string
	for _, m := range regexp.MustCompile(`(?m)^([A-Z_]+)=`).FindAllStringSubmatch(strings.Join(blocks[:split], "\n"), -1) {
		if !slices.Contains(names, m[1]) {
			names = append(names, m[1])
		}
	}
	dir := t.TempDir()
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "AWS_ENDPOINT_URL=" + up.Endpoint, "AWS_DEFAULT_REGION=" + mototest.Region,
		"AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "TOPIC_ARN=" + eventsTopic(t, up.Endpoint)}
	// The commands are written for AWS; here `aws` is the same CLI pointed
	// at the stack's endpoint (AWS CLI v1 does not read AWS_ENDPOINT_URL).
	const shim = `aws() { command aws --endpoint-url "$AWS_ENDPOINT_URL" "$@"; }` + "\n"
	sh := func(script string) string {
		t.Helper()
		cmd := exec.Command("bash", "-euo", "pipefail", "-c", shim+script)
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("the document's commands failed (%s): %v\n%s\n--- script:\n%s", awsCLI, err, out, script)
		}
		return string(out)
	}
	state := sh(strings.Join(blocks[:split], "\n") + "\ndeclare -p " + strings.Join(names, " "))

	// Events of several types: a player registers (PlayerRegistered), plays
	// a game (GameFinished) that enters the boards (LeaderboardEntered),
	// and earns achievements (AchievementUnlocked).
	p := newPlayer(t, up.URL, "Subscriber")
	finish(t, up.URL, p, startGame(t, up.URL, p, replay.Classic, 3))
	queueURL := regexp.MustCompile(`QUEUE_URL="([^"]+)"`).FindStringSubmatch(state)
	if queueURL == nil {
		t.Fatalf("the blocks did not set QUEUE_URL:\n%s", state)
	}
	cfg := mototest.Config(up.Endpoint)
	eventually(t, 20*time.Second, func() string {
		out, err := sqs.NewFromConfig(cfg).GetQueueAttributes(context.Background(), &sqs.GetQueueAttributesInput{QueueUrl: aws.String(queueURL[1]),
			AttributeNames: []sqstypes.QueueAttributeName{sqstypes.QueueAttributeNameApproximateNumberOfMessages}})
		if err != nil {
			return err.Error()
		}
		if n := out.Attributes["ApproximateNumberOfMessages"]; n != "4" {
			return "the queue holds " + n + " messages, want the GameFinished and the 3 LeaderboardEntered (day, week, all)"
		}
		return ""
	})
	sh(state + "\n" + strings.Join(blocks[split:], "\n"))

	received, err := os.ReadFile(filepath.Join(dir, "received.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, body := range strings.Split(strings.TrimSpace(string(received)), "\t") {
		var e events.Envelope
		if err := json.Unmarshal([]byte(body), &e); err != nil {
			t.Fatalf("a message is not the raw envelope (raw delivery): %v\n%s", err, body)
		}
		if e, err := events.Decode([]byte(body)); err != nil || events.ValidateData(e) != nil {
			t.Errorf("received %s, not an event every consumer accepts: %v", body, err)
		}
		types = append(types, e.Type)
	}
	slices.Sort(types)
	want := []string{events.TypeGameFinished, events.TypeLeaderboardEntered, events.TypeLeaderboardEntered, events.TypeLeaderboardEntered}
	if !slices.Equal(types, want) {
		t.Errorf("the queue received %v, want exactly its filter policy's types %v", types, want)
	}
}
