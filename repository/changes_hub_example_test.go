package repository_test

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/loomhq/loom/repository"
)

// A connector reports its writes through a ChangeHub: Watch is the hub's,
// and each write that succeeded is published, in order.
func ExampleChangeHub() {
	var hub repository.ChangeHub
	ctx, stop := context.WithCancel(context.Background())
	changes, _ := hub.Watch(ctx, "Todo")

	m, _ := repository.ModelOf[coded]()
	id := json.RawMessage(`"milk"`)
	hub.Publish("Todo",
		repository.NewChange(repository.ChangeCreate, m, id, repository.Data{"code": id, "title": json.RawMessage(`"Buy milk"`)}),
		repository.NewChange(repository.ChangeRemove, m, id, nil))
	stop() // the channel closes once the changes already sent are read

	for c := range changes {
		b, _ := json.Marshal(c)
		fmt.Println(string(b))
	}
	// Output:
	// {"type":"create","target":"milk","where":{"code":"milk"},"data":{"code":"milk","title":"Buy milk"}}
	// {"type":"remove","target":"milk","where":{"code":"milk"}}
}
