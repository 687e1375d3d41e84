package sql

import "errors"

func asStatus(err error, target *interface{ StatusCode() int }) bool { return errors.As(err, target) }
