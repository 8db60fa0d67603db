package linkage

// nicknameGroups lists given names with their nicknames (hipocorísticos)
// and the abbreviations clerks write (Fco., Gpe., Ma.). Each group is one
// given name; a nickname may belong to several groups (Beto is short for
// Alberto, Roberto, Humberto…), and two names meet when they share a group.
// The full names of two groups never meet each other, so Alberto and Roberto
// stay apart. Translations between languages (Guillermo and William, José
// and Joseph) are not listed: a translated name is a different spelling
// of the person, but it is too often a different person too.
//
// The Spanish groups are the common Mexican and Central American forms;
// the English ones are the commonest in the FEBRL data and in the
// pseudopeople nickname table. Words are folded (Toño is "tono").
var nicknameGroups = [][]string{
	// Spanish, masculine.
	{"francisco", "pancho", "paco", "curro", "paquito", "panchito", "kiko", "fco", "frank"},
	{"jose", "pepe", "chepe", "pepito", "cheo"},
	{"jesus", "chuy", "chucho", "chuyito", "jsus"},
	{"guillermo", "memo", "guille", "memito"},
	{"ignacio", "nacho"},
	{"enrique", "quique", "kike"},
	{"eduardo", "lalo", "edu"},
	{"gerardo", "lalo", "jerry"},
	{"antonio", "tono", "tonio", "tony", "anto"},
	{"alberto", "beto"},
	{"roberto", "beto"},
	{"humberto", "beto"},
	{"norberto", "beto"},
	{"gilberto", "beto"},
	{"dagoberto", "beto", "dago"},
	{"alejandro", "alex", "ale", "jando"},
	{"manuel", "manolo", "manu", "meme"},
	{"luis", "lucho", "luisito", "wicho"},
	{"rafael", "rafa", "rafo", "fallo"},
	{"ramon", "moncho", "mocho"},
	{"gregorio", "goyo"},
	{"gustavo", "tavo", "gus"},
	{"fernando", "nando", "fer"},
	{"salvador", "chava", "chavo", "salva"},
	{"santiago", "chago", "santi"},
	{"rodrigo", "rodri", "rigo"},
	{"adolfo", "fito"},
	{"rodolfo", "fito", "rudy", "rodo"},
	{"ricardo", "richi", "ricky", "rica"},
	{"federico", "fede", "kiko"},
	{"armando", "mando"},
	{"reynaldo", "nayo"},
	{"reinaldo", "nayo"},
	{"ernesto", "neto"},
	{"ezequiel", "cheque", "checo"},
	{"sergio", "checo"},
	{"leonardo", "leo"},
	{"leopoldo", "polo", "leo"},
	{"hipolito", "polo"},
	{"anastasio", "tacho"},
	{"eusebio", "chebo"},
	{"gabriel", "gabo", "gaby"},
	{"marcelo", "chelo"},
	{"jacinto", "chinto"},
	{"refugio", "cuco"},
	{"cristobal", "toval", "cris"},
	// Spanish, feminine.
	{"guadalupe", "lupe", "lupita", "gpe", "lupillo"},
	{"concepcion", "concha", "conchita", "chona", "conchi"},
	{"mercedes", "meche", "merche", "meches"},
	{"rosa", "rosy", "rosi", "rosita"},
	{"rosario", "chayo", "charo"},
	{"alejandra", "alex", "ale"},
	{"dolores", "lola", "lolita"},
	{"graciela", "chela"},
	{"consuelo", "chelo"},
	{"socorro", "coco"},
	{"isabel", "chabela", "chavela", "isa", "chabe"},
	{"maria", "ma", "mari"},
	{"margarita", "magui", "marga"},
	{"teresa", "tere", "techa"},
	{"patricia", "paty", "pati", "patty", "pat", "trish"},
	{"natividad", "nati", "naty"},
	{"asuncion", "chon", "chona"},
	{"ascension", "chon"},
	{"encarnacion", "chon", "encarna"},
	{"trinidad", "trini"},
	{"josefina", "chepa", "fina", "pepa", "josefa"},
	{"gabriela", "gaby", "gabi"},
	{"cristina", "tina", "cris"},
	{"beatriz", "bety", "betty", "bea"},
	{"yolanda", "yoli", "yola"},
	{"ana", "anita"},
	{"juana", "juanita"},
	{"juan", "juanito", "juancho"},
	{"carlos", "carlitos", "charly"},
	{"elizabeth", "eli", "liz", "beth", "betty", "eliza", "libby"},
	// English.
	{"william", "bill", "will", "willy", "billy", "liam"},
	{"robert", "bob", "rob", "bobby", "robbie"},
	{"richard", "dick", "rick", "rich", "ricky"},
	{"james", "jim", "jimmy", "jamie"},
	{"john", "jack", "johnny"},
	{"margaret", "maggie", "meg", "peggy", "marge"},
	{"katherine", "kate", "katie", "kathy", "cathy", "kat", "catherine", "kathryn"},
	{"thomas", "tom", "tommy"},
	{"michael", "mike", "mick", "mikey"},
	{"christopher", "chris", "kit"},
	{"anthony", "tony"},
	{"joseph", "joe", "joey"},
	{"daniel", "dan", "danny"},
	{"edward", "ed", "eddie", "ted", "ned"},
	{"charles", "charlie", "chuck", "chas"},
	{"alexander", "alex", "sandy", "xander"},
	{"alexandra", "alex", "sandy"},
	{"benjamin", "ben", "benny"},
	{"samuel", "sam", "sammy"},
	{"samantha", "sam", "sammy"},
	{"jennifer", "jen", "jenny"},
	{"nicholas", "nick", "nicky"},
	{"matthew", "matt"},
	{"andrew", "andy", "drew"},
	{"stephen", "steve", "steven"},
	{"timothy", "tim"},
	{"jessica", "jess", "jessie"},
	{"rebecca", "becky", "becca"},
	{"susan", "sue", "suzy"},
	{"deborah", "deb", "debbie"},
	{"joshua", "josh"},
	{"jacob", "jake"},
	{"abigail", "abby"},
}

// nickSet is a set of nickname groups, one bit per group.
type nickSet [2]uint64

// nickIndex maps a folded word to its entry in nickSets; nickSets[i] is the
// set of groups the word belongs to.
var nickIndex, nickSets = buildNickIndex()

func buildNickIndex() (map[string]int16, []nickSet) {
	if len(nicknameGroups) > 128 {
		panic("linkage: more than 128 nickname groups")
	}
	index := map[string]int16{}
	var sets []nickSet
	for g, words := range nicknameGroups {
		for _, w := range words {
			i, ok := index[w]
			if !ok {
				i = int16(len(sets))
				index[w] = i
				sets = append(sets, nickSet{})
			}
			sets[i][g/64] |= 1 << (g % 64)
		}
	}
	return index, sets
}

// nickOf returns the index of the folded word w in nickSets, or -1.
func nickOf(w []byte) int16 {
	if i, ok := nickIndex[string(w)]; ok {
		return i
	}
	return -1
}

// nickMatch reports whether two words with nickname indexes x and y share
// a group.
func nickMatch(x, y int16) bool {
	if x < 0 || y < 0 {
		return false
	}
	s, t := nickSets[x], nickSets[y]
	return s[0]&t[0] != 0 || s[1]&t[1] != 0
}

// Nicknames reports whether the folded given names a and b are the same
// name by the nickname table: Pepe and José, Beto and Roberto, Lupe and
// Guadalupe, Bill and William. It answers from the table only, so it is
// false for two equal words the table does not list ("pedro", "pedro");
// callers test equality first.
func Nicknames(a, b string) bool {
	x, ok := nickIndex[a]
	if !ok {
		return false
	}
	y, ok := nickIndex[b]
	return ok && nickMatch(x, y)
}
