package players

import (
	"math/rand/v2"
	"strconv"
)

// Generated nicknames are an adjective, an animal and a number, like
// "NeonFox482". Nicknames need not be unique, but two guests should not
// look alike on a leaderboard: with len(adjectives) * len(animals) * 9,900
// numbers (about 10^8 names), a new guest among 100,000 others gets a name
// already taken with a chance of about 1 in 1,000.
//
// Every word is ASCII letters, at most 8 long, so a name is at most 20
// characters and always passes NormalizeNickname.
var (
	nicknameAdjectives = []string{
		"Neon", "Swift", "Lucky", "Brave", "Calm", "Clever", "Cosmic", "Crimson",
		"Daring", "Dizzy", "Electric", "Fancy", "Fierce", "Fluffy", "Frosty", "Funky",
		"Gentle", "Giant", "Glowing", "Golden", "Happy", "Hasty", "Hidden", "Humble",
		"Icy", "Jolly", "Jumpy", "Keen", "Kind", "Laser", "Lively", "Loud",
		"Magic", "Mellow", "Mighty", "Misty", "Nimble", "Noble", "Odd", "Orange",
		"Pixel", "Plucky", "Polar", "Proud", "Quick", "Quiet", "Rapid", "Retro",
		"Rocket", "Royal", "Rusty", "Shiny", "Silent", "Silver", "Sleepy", "Sly",
		"Snappy", "Solar", "Sonic", "Sparkly", "Speedy", "Spicy", "Starry", "Stormy",
		"Sunny", "Super", "Tiny", "Turbo", "Velvet", "Vivid", "Wild", "Witty",
		"Zany", "Zesty", "Amber", "Azure", "Bold", "Bouncy", "Bright", "Bubbly",
		"Cheery", "Chill", "Cozy", "Crafty", "Dapper", "Dreamy", "Eager", "Epic",
		"Fuzzy", "Groovy", "Jazzy", "Lunar", "Mystic", "Peppy", "Radiant", "Snowy",
	}
	nicknameAnimals = []string{
		"Fox", "Owl", "Panda", "Tiger", "Otter", "Lynx", "Koala", "Falcon",
		"Badger", "Beaver", "Bison", "Bunny", "Camel", "Cat", "Cobra", "Condor",
		"Coyote", "Crab", "Crane", "Crow", "Deer", "Dingo", "Dolphin", "Dragon",
		"Duck", "Eagle", "Eel", "Elk", "Ferret", "Finch", "Frog", "Gecko",
		"Gibbon", "Goat", "Goose", "Gopher", "Hare", "Hawk", "Hedgehog", "Heron",
		"Hippo", "Hornet", "Husky", "Ibis", "Iguana", "Impala", "Jackal", "Jaguar",
		"Kiwi", "Lemur", "Leopard", "Lion", "Llama", "Lobster", "Magpie", "Mantis",
		"Marmot", "Meerkat", "Mole", "Moose", "Moth", "Narwhal", "Newt", "Ocelot",
		"Octopus", "Orca", "Osprey", "Panther", "Parrot", "Pelican", "Penguin", "Puffin",
		"Puma", "Quail", "Rabbit", "Raccoon", "Raven", "Robin", "Salmon", "Seal",
		"Shark", "Sloth", "Snail", "Sparrow", "Squid", "Stork", "Swan", "Tapir",
		"Toucan", "Turtle", "Viper", "Walrus", "Weasel", "Whale", "Wolf", "Yak",
	}
)

// GenerateNickname returns a fun guest name from intn, a source of uniform
// integers in [0, n) (rand.IntN in production, a fixed sequence in tests).
func GenerateNickname(intn func(n int) int) string {
	if intn == nil {
		intn = rand.IntN
	}
	return nicknameAdjectives[intn(len(nicknameAdjectives))] +
		nicknameAnimals[intn(len(nicknameAnimals))] +
		strconv.Itoa(100+intn(9900))
}
