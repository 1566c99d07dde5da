package fairplay

import (
	"math"

	"github.com/lightpress/lightpress/microservices/games/replay"
)

// The board as the client draws it (ORIGINAL_GAME.md): 11 round buttons of
// 80 px in staggered rows of 4, 3 and 4 on an 8-column grid of 56 px
// columns, each button two columns wide, rows 18 px apart. Centres are in
// button diameters, the unit of Fitts' law.
const (
	columnPitch = 56.0 / 80        // one grid column, in diameters
	rowPitch    = (80.0 + 18) / 80 // one row, in diameters
)

// boardRows is [first button, buttons in the row, first grid column (0-based)].
var boardRows = [3][3]int{{0, 4, 0}, {4, 3, 1}, {7, 4, 0}}

// difficulty[from][to] is Difficulty(from, to) for two buttons.
var difficulty = func() (d [replay.Buttons][replay.Buttons]float64) {
	var at [replay.Buttons][2]float64
	for r, row := range boardRows {
		for k := range row[1] {
			// A button spans columns col and col+1: its centre is col+1.
			at[row[0]+k] = [2]float64{float64(row[2]+2*k+1) * columnPitch, float64(r) * rowPitch}
		}
	}
	for i := range at {
		for j := range at {
			dist := math.Hypot(at[i][0]-at[j][0], at[i][1]-at[j][1])
			d[i][j] = math.Log2(dist + 1)
		}
	}
	return d
}()

// meanDifficulty is the mean Difficulty between two different buttons: the
// expected move from a pointer whose place is unknown (the first press).
var meanDifficulty = func() float64 {
	sum := 0.0
	for i := range difficulty {
		for j := range difficulty[i] {
			sum += difficulty[i][j]
		}
	}
	return sum / float64(replay.Buttons*(replay.Buttons-1))
}()

// Difficulty is Fitts' index of difficulty, in bits, of moving a pointer or
// a finger from button from to button to: log2(D/W + 1), the Shannon
// formulation (MacKenzie 1992), with D the distance between their centres
// and W a button's diameter. Movement time grows linearly with it (Fitts
// 1954), which is why mouse and touch players are slower to far buttons.
// from -1 (no press yet) gives the board's mean; buttons off the board give
// 0.
func Difficulty(from, to int) float64 {
	if to < 0 || to >= replay.Buttons {
		return 0
	}
	if from < 0 || from >= replay.Buttons {
		return meanDifficulty
	}
	return difficulty[from][to]
}
