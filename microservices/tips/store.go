package tips

import "context"

// Store is what the handlers need of the tips table.
type Store interface {
	// Random returns a random tip of the first shelf, in the order given,
	// that has any; ErrNoTip if none has.
	Random(ctx context.Context, shelves []Shelf) (Tip, error)
	// List returns up to limit tips of shelves from position after, and
	// where the next page starts (nil after the last page).
	List(ctx context.Context, shelves []Shelf, limit int, after Position) ([]Tip, *Position, error)
	// Add stores t, and reports false if it was there already.
	Add(ctx context.Context, t Tip) (bool, error)
}

// Position is a place in a list of shelves: the index of a shelf, and the
// id of the last tip already listed on it ("" for its start).
type Position struct {
	Shelf int
	After string
}
