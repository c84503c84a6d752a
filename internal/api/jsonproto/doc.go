// Package jsonproto is the AWS JSON 1.1 protocol codec: a JSON request
// body decoded into a typed input and checked against the model's
// constraints (struct tags), results encoded as JSON, and errors as
// {"__type": code, "Message": …}. Services that speak it (Organizations)
// declare their actions in the api package like the Query services do.
// It imports only awserr.
package jsonproto
