package games

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/lightpress/lightpress/microservices/games/replay"
)

// The presses of an accepted or held game are kept in its item, compactly:
// a version byte, the number of presses as a uvarint, then per press one
// uvarint of (ms since the previous press << 4 | button). Presses are
// sorted and buttons are 0..10 (4 bits) in any game the rules accept, and
// people press every few hundred ms, so a press takes 2 bytes: the 20,000
// presses a game may hold fit in about 40 KB, far under DynamoDB's 400 KB
// item limit (and no 2-hour game needs more than about 47 KB: a 3-byte gap
// is 1,024 ms or more, and only about 6,900 of them fit in 2 hours).

const pressesVersion = 1

// errBadPresses is returned for bytes EncodePresses did not write.
var errBadPresses = errors.New("stored presses are corrupt")

// EncodePresses packs presses (sorted, buttons 0..15) as described above.
func EncodePresses(presses []replay.Press) ([]byte, error) {
	b := make([]byte, 0, 2+binary.MaxVarintLen64+2*len(presses))
	b = append(b, pressesVersion)
	b = binary.AppendUvarint(b, uint64(len(presses)))
	var prev int64
	for i, p := range presses {
		if p.T < prev || p.Button < 0 || p.Button > 15 || p.T > replay.MaxEndedAt {
			return nil, fmt.Errorf("press %d (%+v) cannot be packed: presses must be sorted, in time and on a button", i, p)
		}
		b = binary.AppendUvarint(b, uint64(p.T-prev)<<4|uint64(p.Button))
		prev = p.T
	}
	return b, nil
}

// DecodePresses unpacks what EncodePresses wrote.
func DecodePresses(b []byte) ([]replay.Press, error) {
	if len(b) == 0 || b[0] != pressesVersion {
		return nil, errBadPresses
	}
	b = b[1:]
	n, k := binary.Uvarint(b)
	if k <= 0 || n > replay.MaxPresses {
		return nil, errBadPresses
	}
	b = b[k:]
	presses := make([]replay.Press, 0, n)
	var t int64
	for range n {
		v, k := binary.Uvarint(b)
		if k <= 0 {
			return nil, errBadPresses
		}
		b = b[k:]
		t += int64(v >> 4)
		presses = append(presses, replay.Press{T: t, Button: int(v & 15)})
	}
	if len(b) != 0 {
		return nil, errBadPresses
	}
	return presses, nil
}
