package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func TestCallProxy_NamesTheServiceAndTheCall(t *testing.T) {
	p := &callProxy{tables: map[string]string{"lightpress-dev-leaderboard": "leaderboard", "lightpress-dev-games": "games"}}
	jsonCall := func(target, body string) *http.Request {
		r := httptest.NewRequest("POST", "/", strings.NewReader(body))
		r.Header.Set("X-Amz-Target", target)
		return r
	}
	formCall := func(v url.Values) *http.Request {
		return httptest.NewRequest("POST", "/", strings.NewReader(v.Encode()))
	}
	event := `{"specversion":"1.0","id":"e","source":"lightpress/games","type":"lightpress.games.GameFinished.v1"}`
	tests := []struct {
		name string
		req  *http.Request
		body string
		want awsCall
		poll bool
	}{
		{"a GetItem", jsonCall("DynamoDB_20120810.GetItem", ""), `{"TableName":"lightpress-dev-leaderboard","Key":{}}`, awsCall{"leaderboard", "dynamodb GetItem"}, false},
		{"a BatchGetItem", nil, `{"RequestItems":{"lightpress-dev-games":{"Keys":[]}}}`, awsCall{"games", "dynamodb BatchGetItem"}, false},
		{"a transaction", nil, `{"TransactItems":[{"Put":{"TableName":"lightpress-dev-leaderboard"}}]}`, awsCall{"leaderboard", "dynamodb TransactWriteItems"}, false},
		{"a stream read", jsonCall("DynamoDBStreams_20120810.GetRecords", ""), `{}`, awsCall{"-", "streams GetRecords"}, true},
		{"an SQS receive", jsonCall("AmazonSQS.ReceiveMessage", ""), `{"QueueUrl":"http://h/000/lightpress-dev-achievements"}`, awsCall{"achievements", "sqs ReceiveMessage"}, true},
		{"a secret", jsonCall("secretsmanager.GetSecretValue", ""), `{}`, awsCall{"-", "secretsmanager GetSecretValue"}, false},
		{"a PublishBatch", formCall(url.Values{"Action": {"PublishBatch"}, "PublishBatchRequestEntries.member.1.Message": {event}}), "", awsCall{"games", "sns PublishBatch"}, false},
	}
	for _, tt := range tests {
		r := tt.req
		if r == nil {
			r = jsonCall("DynamoDB_20120810."+strings.TrimPrefix(tt.want.Op, "dynamodb "), "")
		}
		body := tt.body
		if body == "" {
			raw, _ := io.ReadAll(r.Body)
			body = string(raw)
		}
		got := p.classify(r, []byte(body))
		if got != tt.want || got.Polling() != tt.poll {
			t.Errorf("%s: %+v (polling %v), want %+v (polling %v)", tt.name, got, got.Polling(), tt.want, tt.poll)
		}
	}
}
