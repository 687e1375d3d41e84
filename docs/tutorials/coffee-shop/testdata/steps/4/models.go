package main

import (
	"fmt"
	"time"

	"github.com/loomhq/loom/repository"
	"github.com/loomhq/loom/repository/rules"
)

// CoffeeShop is LoopBack 3's CoffeeShop model. Its city may be sent as
// null and is then answered as null, as LoopBack 3 does.
type CoffeeShop struct {
	ID          int                                    `json:"id,omitempty" loom:"id,generated"`
	Name        string                                 `json:"name" validate:"required"`
	City        repository.Nullable[string]            `json:"city,omitzero"`
	Location    *repository.GeoPoint                   `json:"location,omitempty"`
	OpeningHour *float64                               `json:"openingHour,omitempty"`
	ClosingHour *float64                               `json:"closingHour,omitempty"`
	Reviews     []Review                               `json:"reviews,omitempty" loom:"hasMany"`
	Tags        repository.Through[Tag, CoffeeShopTag] `json:"tags,omitempty" loom:"hasAndBelongsToMany"`
}

// Cities are the cities a coffee shop may be in.
var Cities = []any{"Vancouver", "San Mateo", "San Francisco", "Seattle", "Portland"}

// Validations are LoopBack 3's validatesUniquenessOf, validatesLengthOf
// and validatesInclusionOf of the CoffeeShop model.
func (CoffeeShop) Validations() []rules.Validation {
	return []rules.Validation{
		rules.UniquenessOf("name"),
		rules.LengthOf("name", rules.Min(3), rules.Max(60)),
		rules.InclusionOf("city", Cities, rules.AllowBlank(), rules.AllowNull()),
	}
}

// Review is a review of a coffee shop.
type Review struct {
	ID           int         `json:"id,omitempty" loom:"id,generated"`
	Date         *Date       `json:"date,omitempty"`
	Rating       *float64    `json:"rating,omitempty"`
	Comments     string      `json:"comments" validate:"required"`
	CoffeeShopID *int        `json:"coffeeShopId,omitempty"`
	CoffeeShop   *CoffeeShop `json:"coffeeShop,omitempty" loom:"belongsTo"`
}

// Tag labels coffee shops.
type Tag struct {
	ID   int    `json:"id,omitempty" loom:"id,generated"`
	Name string `json:"name" validate:"required"`
}

// CoffeeShopTag links a coffee shop and a tag: the join model of
// CoffeeShop.tags, which has no endpoints of its own.
type CoffeeShopTag struct {
	ID           int `json:"id,omitempty" loom:"id,generated"`
	CoffeeShopID int `json:"coffeeShopId"`
	TagID        int `json:"tagId"`
}

// Date is a date as LoopBack 3 answers one: ISO 8601 in UTC with its
// milliseconds always written (2026-01-02T03:04:05.060Z). Stored as that
// text, dates sort as times do.
type Date time.Time

// dateLayout is LoopBack 3's date format.
const dateLayout = "2006-01-02T15:04:05.000Z07:00"

// DateOf is t as a Date, to the millisecond.
func DateOf(t time.Time) Date { return Date(t.UTC().Truncate(time.Millisecond)) }

// MarshalText writes the date in LoopBack 3's format.
func (d Date) MarshalText() ([]byte, error) {
	return []byte(time.Time(d).UTC().Format(dateLayout)), nil
}

// UnmarshalText reads an ISO 8601 date: a date and time with a zone, or
// a date alone (midnight UTC).
func (d *Date) UnmarshalText(b []byte) error {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02"} {
		if t, err := time.Parse(layout, string(b)); err == nil {
			*d = DateOf(t)
			return nil
		}
	}
	return fmt.Errorf("%q is not an ISO 8601 date", b)
}
