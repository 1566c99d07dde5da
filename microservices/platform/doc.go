// Package platform is the small runtime every Lightpress service shares: one
// way each to enter a Lambda function (HTTP through API Gateway HTTP API or an
// ALB, SQS batches, DynamoDB stream batches), decode a body, write a problem,
// publish an event through the transactional outbox, consume a batch, log,
// trace, authenticate, and load AWS configuration.
//
// It holds no domain knowledge: a service builds a Function from its own
// routes, event handlers and table, and main passes it to lambda.Start.
package platform
