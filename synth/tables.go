package synth

import "rescreen"

// The tables below are the vocabulary of the generator: names, languages,
// places and organisations. They are fixed values, never written to, so that
// any number of generators can share them. Names are common in the countries
// concerned and are chosen at random; no table row describes a real family.

// weighted is a value with its relative weight in a draw.
type weighted[T any] struct {
	v T
	w float64
}

// table is a precomputed cumulative distribution, so that a draw costs one
// random number and a short scan.
type table[T any] struct {
	vals []T
	cum  []float64 // cumulative weights, last = 1
}

func newTable[T any](ws []weighted[T]) table[T] {
	t := table[T]{vals: make([]T, len(ws)), cum: make([]float64, len(ws))}
	total := 0.0
	for _, w := range ws {
		total += w.w
	}
	acc := 0.0
	for i, w := range ws {
		acc += w.w
		t.vals[i] = w.v
		t.cum[i] = acc / total
	}
	t.cum[len(t.cum)-1] = 1
	return t
}

// pick returns the value whose cumulative band contains u, a number in [0, 1).
func (t *table[T]) pick(u float64) T {
	for i, c := range t.cum {
		if u < c {
			return t.vals[i]
		}
	}
	return t.vals[len(t.vals)-1]
}

// childAgeWeights is the share of separated children by age in whole years
// at separation. The under-five bands (5% together) follow the reported "at
// least 103" of about 2,600 children (settlement.md section 7), a floor, and,
// within them, the age mix reported for the expanded class (5 under one, 26
// aged 1, 40 aged 2, 76 aged 3, 60 aged 4). Older children are spread with a bulge
// between 10 and 16, the ages most often reported in the ORR caseload.
var childAgeWeights = []weighted[int]{
	{0, 0.35}, {1, 0.7}, {2, 1.05}, {3, 1.6}, {4, 1.3},
	{5, 5.5}, {6, 6}, {7, 6.5}, {8, 7}, {9, 7},
	{10, 7.5}, {11, 7.5}, {12, 8}, {13, 8}, {14, 8.5},
	{15, 8.5}, {16, 8}, {17, 7.5},
}

// mayanLanguage is a Mayan language with its ISO 639-3 code, its name, and
// surnames common among its speakers.
type mayanLanguage struct {
	code, name string
	surnames   []string
}

// mayanLanguages are the four Mayan languages most spoken by the separated
// Guatemalan families (settlement.md R-SYS-10), with their shares among the
// Mayan-speaking families in the synthetic class.
var mayanLanguages = []weighted[mayanLanguage]{
	{mayanLanguage{"quc", "K'iche'", []string{"Tzul", "Ajanel", "Batz", "Xiloj", "Quiej", "Sic", "Tambriz", "Ixcot", "Chuc", "Tzoc", "Ixcoy", "Sapón", "Tum", "Cux", "Chiquin", "Tacam"}}, 0.35},
	{mayanLanguage{"mam", "Mam", []string{"Bámaca", "Chilel", "Matías", "Escalante", "Ordóñez", "Godínez", "Fuentes", "Domingo", "Ramos", "Méndez", "Tomás", "Morales", "Jiménez", "Gabriel"}}, 0.33},
	{mayanLanguage{"kjb", "Q'anjob'al", []string{"Pascual", "Mateo", "Francisco", "Diego", "Juan", "Domingo", "Andrés", "Gaspar", "Tomás", "Antonio", "Sebastián", "Lucas", "Pedro", "Miguel"}}, 0.18},
	{mayanLanguage{"kek", "Q'eqchi'", []string{"Caal", "Choc", "Coc", "Pop", "Tiul", "Cac", "Xol", "Maquin", "Chub", "Bol", "Ical", "Xuc", "Tot", "Chen"}}, 0.14},
}

// Given names. Adults and children are drawn from different lists because
// naming fashions changed between the 1980s and the 2000s in Central America
// (Brayan, Kevin and Yeimi are children's names, Reina and Santos adults').
var (
	spanishMaleAdult = []string{
		"José", "Juan", "Carlos", "Luis", "Miguel", "Jorge", "Mario", "Óscar", "Edwin", "Wilmer",
		"Elmer", "Marvin", "Santos", "Francisco", "Pedro", "Pablo", "Manuel", "Elder", "Darwin",
		"Melvin", "Selvin", "Byron", "Walter", "Henry", "Denis", "Erick", "Rigoberto", "Fredy",
		"Nelson", "Julio", "César", "Víctor", "Hugo", "Rolando", "Armando", "Rubén", "Gerson",
		"Ángel", "Lester", "Arnoldo", "Domingo", "Mateo", "Efraín", "Ricardo", "Rafael", "Hernán",
	}
	spanishFemaleAdult = []string{
		"María", "Ana", "Rosa", "Sandra", "Glenda", "Karla", "Wendy", "Yesenia", "Dania", "Sindy",
		"Brenda", "Ingrid", "Marleny", "Yolanda", "Olga", "Gloria", "Blanca", "Dilcia", "Reina",
		"Lidia", "Marta", "Elvira", "Evelyn", "Leticia", "Maribel", "Norma", "Delmy", "Iris",
		"Sonia", "Lorena", "Marisol", "Claudia", "Juana", "Margarita", "Silvia", "Carmen",
		"Petrona", "Olivia", "Elsa", "Zoila", "Aracely", "Miriam", "Vilma", "Xiomara", "Reyna",
	}
	spanishMaleChild = []string{
		"José", "Juan", "Carlos", "Luis", "Kevin", "Brayan", "Anderson", "Jefferson", "Franklin",
		"Josué", "Ángel", "David", "Alexander", "Jonathan", "Cristian", "Yeison", "Dilan", "Jason",
		"Édgar", "Diego", "Mateo", "Daniel", "Fernando", "Wilmer", "Erick", "Jairo", "Allan",
		"Steven", "Elías", "Isaac", "Samuel", "Gabriel", "Emanuel", "Henry", "Darwin", "Santiago",
		"Denilson", "Alexis", "Jeremy", "Eduardo", "Óscar", "Miguel", "Walter", "Bryan", "Nelson",
	}
	spanishFemaleChild = []string{
		"María", "Ana", "Génesis", "Alisson", "Nayeli", "Dayana", "Keyla", "Yaritza", "Sofía",
		"Valeria", "Daniela", "Fernanda", "Camila", "Yulissa", "Ashley", "Heidy", "Lesly",
		"Jennifer", "Josselyn", "Yeimi", "Estefany", "Katherine", "Melany", "Nicole", "Abigail",
		"Kimberly", "Paola", "Andrea", "Mayra", "Yoselin", "Dulce", "Lucía", "Isabel", "Marisol",
		"Britany", "Wendy", "Gabriela", "Zuleyma", "Itzel", "Esmeralda", "Naomi", "Rosa", "Emily",
	}
	// The compound names are the ones that are one name in use, not two
	// names drawn independently (María José is a girl, José María a boy).
	spanishMaleCompound = []string{
		"José Luis", "Juan Carlos", "José Ángel", "Luis Fernando", "Carlos Alberto", "Jorge Mario",
		"Kevin Josué", "Brayan Alexander", "Ángel Gabriel", "José Manuel", "Juan José",
		"José Armando", "Marvin Antonio", "Edwin Rolando", "Juan Pablo", "José David",
		"Luis Enrique", "Cristian Alexis", "Óscar Armando", "Santos Ramón", "Elmer Josué",
		"Jefferson Josué", "Anderson Said", "Denis Alexander", "Wilmer Geovanny",
	}
	spanishFemaleCompound = []string{
		"María José", "María Fernanda", "Ana María", "María de los Ángeles", "Rosa Elvira",
		"Dulce María", "Ana Lucía", "María Isabel", "Karla Patricia", "Sandra Elizabeth",
		"Glenda Yamileth", "Wendy Carolina", "Dania Marisol", "Blanca Estela", "María Elena",
		"Ana Gabriela", "Heidy Yamileth", "Génesis Abigail", "Nayeli Guadalupe", "Keyla Michelle",
		"Yeimi Nohemí", "Lesly Nicole", "María Cristina", "Rosa Amelia", "Olga Marina",
	}
	mayanMale   = []string{"B'alam", "Tecún", "Ajpu", "Kan", "Kumatz", "Tz'unun", "Q'anil", "Iq'", "Ajkem", "Tijax", "Kawok", "No'j"}
	mayanFemale = []string{"Ixchel", "Nikte'", "Ixmucané", "Saqil", "Ixkik'", "Ixim", "Ixb'alam", "Kantel", "Ixq'anil", "Sak Nikte'", "Imox", "Ixk'at"}
)

// Surnames. Most are common across Central America and Mexico; a few extra
// ones per country give each population its own texture.
var (
	spanishSurnames = []string{
		"López", "García", "Hernández", "Martínez", "Pérez", "Rodríguez", "González", "Ramírez",
		"Sánchez", "Cruz", "Flores", "Reyes", "Morales", "Gómez", "Díaz", "Ortiz", "Castillo",
		"Mejía", "Aguilar", "Méndez", "Vásquez", "Rivera", "Castro", "Romero", "Chávez", "Ramos",
		"Juárez", "Mendoza", "Orellana", "Alvarado", "Escobar", "Maldonado", "Cabrera", "Pineda",
		"Fuentes", "Rosales", "Osorio", "Lemus", "Cardona", "Barrios", "Tobar", "Domínguez",
		"Jiménez", "Torres", "Gutiérrez", "Santos", "Vargas", "Herrera", "Medina", "Salazar",
	}
	countrySurnames = map[string][]string{
		"GT": {"Velásquez", "Monterroso", "Villatoro", "de León", "Xicará", "Ixcoy", "Chacón", "Recinos", "Godoy", "Son"},
		"HN": {"Zelaya", "Bonilla", "Paz", "Canales", "Banegas", "Matute", "Sevilla", "Zúniga", "Padilla", "Funes"},
		"SV": {"Portillo", "Argueta", "Guevara", "Amaya", "Henríquez", "Quintanilla", "Ventura", "Lovo", "Alfaro", "Menjívar"},
		"MX": {"Sánchez", "Nava", "Aguirre", "Ibarra", "Zamora", "Trujillo", "Valdez", "Estrada", "Cervantes", "Galván"},
		"EC": {"Guamán", "Quishpe", "Chimbo", "Morocho", "Cando", "Sigcho", "Vélez", "Zambrano", "Cevallos", "Loja"},
		"NI": {"Blandón", "Obando", "Lacayo", "Chamorro", "Rocha", "Somarriba", "Espinoza", "Urbina", "Zeledón", "Baltodano"},
		"CO": {"Restrepo", "Cárdenas", "Ospina", "Arango", "Quintero", "Mosquera", "Valencia", "Londoño", "Patiño", "Bedoya"},
		"PE": {"Quispe", "Huamán", "Mamani", "Condori", "Chávez", "Ccori", "Apaza", "Ticona", "Vilca", "Paucar"},
		"CU": {"Fernández", "Valdés", "Pupo", "Rizo", "Leyva", "Almeida", "Cabrera", "Batista", "Cisneros", "Machado"},
	}
	portugueseMale     = []string{"João", "Pedro", "Lucas", "Gabriel", "Mateus", "Rafael", "Thiago", "Marcos", "Paulo", "Diego", "Wesley", "Anderson", "Leandro", "Rodrigo"}
	portugueseFemale   = []string{"Maria", "Ana", "Juliana", "Fernanda", "Larissa", "Camila", "Beatriz", "Gabriela", "Letícia", "Aline", "Jéssica", "Tatiane", "Sabrina", "Vitória"}
	portugueseCompound = [2][]string{
		{"João Pedro", "Carlos Eduardo", "Luiz Felipe", "João Vitor", "Pedro Henrique", "José Carlos"},
		{"Ana Clara", "Maria Eduarda", "Ana Paula", "Maria Clara", "Ana Beatriz", "Maria Luiza"},
	}
	portugueseSurnames = []string{"Silva", "Santos", "Oliveira", "Souza", "Pereira", "Costa", "Rodrigues", "Almeida", "Ferreira", "Lima", "Gomes", "Ribeiro", "Carvalho", "Alves", "Barbosa", "Rocha", "Martins", "Moreira"}

	englishGiven    = []string{"Sarah", "Emily", "Laura", "Michael", "David", "Jennifer", "Rachel", "Daniel", "Katherine", "Rebecca", "Andrew", "Lisa", "Matthew", "Hannah", "Benjamin", "Claire"}
	englishSurnames = []string{"Johnson", "Miller", "Smith", "Brown", "Davis", "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Martin", "Clark", "Lewis", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Green"}
)

// DefaultCountries returns the default shares of the families by country of
// nationality. No shares were published (settlement.md section 7,
// gen.country_shares): Guatemala, Honduras and El Salvador dominate, with
// Mexican families next and a tail from South America and the Caribbean;
// Portuguese outreach hints at Brazilian families.
func DefaultCountries() []CountryShare {
	return []CountryShare{
		{"GT", 0.40}, {"HN", 0.32}, {"SV", 0.15}, {"MX", 0.06},
		{"BR", 0.025}, {"EC", 0.015}, {"NI", 0.012}, {"CO", 0.008},
		{"PE", 0.005}, {"CU", 0.005},
	}
}

// removalCity is where a removed person was flown or walked back to.
var removalCity = map[string]string{
	"GT": "Guatemala City", "HN": "San Pedro Sula", "SV": "San Salvador", "MX": "Nuevo Laredo",
	"BR": "Belo Horizonte", "EC": "Guayaquil", "NI": "Managua", "CO": "Bogotá", "PE": "Lima",
	"CU": "Havana",
}

// place is a facility, port or town together with the U.S. state it is in.
type place struct{ name, state string }

// sector is a stretch of border where families crossed: the Border Patrol
// sector (between ports) or port of entry, the CBP facility that held them,
// and the ICE facilities parents went to from there.
type sector struct {
	place    string
	port     bool
	holding  place
	icePlace []place
}

// womenICE is where separated mothers and women guardians were held, by the
// state of the facilities that held the men of their sector.
var womenICE = map[string]place{
	"TX": {"T. Don Hutto Residential Center, Taylor", "TX"},
	"CA": {"Otay Mesa Detention Center, San Diego", "CA"},
	"AZ": {"Eloy Detention Center", "AZ"},
}

var (
	texasICE   = []place{{"Port Isabel Service Processing Center, Los Fresnos", "TX"}, {"El Paso Service Processing Center", "TX"}, {"Joe Corley Detention Facility, Conroe", "TX"}, {"T. Don Hutto Residential Center, Taylor", "TX"}, {"West Texas Detention Facility, Sierra Blanca", "TX"}, {"Federal Detention Center SeaTac", "WA"}}
	westICE    = []place{{"Otay Mesa Detention Center, San Diego", "CA"}, {"Adelanto ICE Processing Center", "CA"}, {"Federal Correctional Institution Victorville", "CA"}, {"Federal Correctional Institution Sheridan", "OR"}}
	arizonaICE = []place{{"Eloy Detention Center", "AZ"}, {"La Palma Correctional Center, Eloy", "AZ"}, {"Florence Service Processing Center", "AZ"}, {"Otero County Processing Center, Chaparral", "NM"}}
)

// sectors are weighted by the share of the 2018 separations that happened
// there: the Rio Grande Valley alone saw about half.
var sectors = []weighted[sector]{
	{sector{"Rio Grande Valley Sector", false, place{"Central Processing Center (Ursula), McAllen", "TX"}, texasICE}, 0.48},
	{sector{"El Paso Sector", false, place{"Clint Border Patrol Station", "TX"}, texasICE}, 0.11},
	{sector{"Tucson Sector", false, place{"Tucson Coordination Center", "AZ"}, arizonaICE}, 0.07},
	{sector{"Yuma Sector", false, place{"Yuma Border Patrol Station", "AZ"}, arizonaICE}, 0.05},
	{sector{"San Diego Sector", false, place{"Chula Vista Border Patrol Station", "CA"}, westICE}, 0.04},
	{sector{"El Centro Sector", false, place{"El Centro Border Patrol Station", "CA"}, westICE}, 0.02},
	{sector{"Laredo Sector", false, place{"Laredo North Border Patrol Station", "TX"}, texasICE}, 0.03},
	{sector{"Del Rio Sector", false, place{"Del Rio Border Patrol Station", "TX"}, texasICE}, 0.02},
	{sector{"Big Bend Sector", false, place{"Presidio Border Patrol Station", "TX"}, texasICE}, 0.01},
}

var ports = []weighted[sector]{
	{sector{"San Ysidro Port of Entry", true, place{"San Ysidro Port of Entry", "CA"}, westICE}, 0.25},
	{sector{"Otay Mesa Port of Entry", true, place{"Otay Mesa Port of Entry", "CA"}, westICE}, 0.06},
	{sector{"Calexico Port of Entry", true, place{"Calexico West Port of Entry", "CA"}, westICE}, 0.04},
	{sector{"Nogales Port of Entry", true, place{"DeConcini Port of Entry, Nogales", "AZ"}, arizonaICE}, 0.10},
	{sector{"San Luis Port of Entry", true, place{"San Luis Port of Entry", "AZ"}, arizonaICE}, 0.04},
	{sector{"Paso del Norte Port of Entry, El Paso", true, place{"Paso del Norte Port of Entry, El Paso", "TX"}, texasICE}, 0.18},
	{sector{"Hidalgo Port of Entry", true, place{"Hidalgo Port of Entry", "TX"}, texasICE}, 0.12},
	{sector{"Brownsville Gateway Port of Entry", true, place{"Brownsville Gateway Port of Entry", "TX"}, texasICE}, 0.11},
	{sector{"Laredo Port of Entry", true, place{"Laredo Port of Entry", "TX"}, texasICE}, 0.06},
	{sector{"Eagle Pass Port of Entry", true, place{"Eagle Pass Port of Entry", "TX"}, texasICE}, 0.04},
}

var (
	orrShelters = []place{
		{"Southwest Key Casa Padre, Brownsville", "TX"}, {"Southwest Key Casa Kokopelli, Mesa", "AZ"},
		{"BCFS Raymondville", "TX"}, {"Shiloh Treatment Center, Manvel", "TX"},
		{"Tornillo influx facility", "TX"}, {"Heartland Alliance, Chicago", "IL"},
		{"The Children's Village, Dobbs Ferry", "NY"}, {"Lincoln Hall, Lincolndale", "NY"},
		{"Southwest Key Casa Quetzal, Houston", "TX"}, {"Estrella del Norte, Tucson", "AZ"},
		{"His House, Miami", "FL"}, {"Bokenkamp Children's Shelter, Corpus Christi", "TX"},
	}
	orrTenderAge = []place{{"Combes tender-age shelter", "TX"}, {"Raymondville tender-age shelter", "TX"}, {"Brownsville tender-age shelter", "TX"}}
	orrFoster    = []place{
		{"Cayuga Centers, New York", "NY"}, {"Bethany Christian Services, Grand Rapids", "MI"},
		{"Lutheran Immigration and Refugee Service, Baltimore", "MD"}, {"Catholic Charities, Galveston", "TX"},
		{"Bethany Christian Services, Lancaster", "PA"}, {"Crittenton Services, Fullerton", "CA"},
	}
	familyResidential = []place{{"South Texas Family Residential Center, Dilley", "TX"}, {"Karnes County Residential Center", "TX"}, {"Berks Family Residential Center, Leesport", "PA"}}
	sponsorTowns      = []place{
		{"Houston", "TX"}, {"Los Angeles", "CA"}, {"Miami", "FL"}, {"New York", "NY"}, {"Atlanta", "GA"},
		{"Charlotte", "NC"}, {"Boston", "MA"}, {"Newark", "NJ"}, {"Nashville", "TN"}, {"New Orleans", "LA"},
		{"Denver", "CO"}, {"Chicago", "IL"}, {"Omaha", "NE"}, {"Baltimore", "MD"}, {"Riverside", "CA"},
		{"Dallas", "TX"}, {"Providence", "RI"}, {"Hempstead", "NY"}, {"Silver Spring", "MD"}, {"Oakland", "CA"},
	}
)

// asylumOffice is the USCIS asylum office that interviews people held in a
// state.
var asylumOffice = map[string]string{
	"TX": "Houston Asylum Office", "NM": "Houston Asylum Office", "AZ": "Los Angeles Asylum Office",
	"CA": "Los Angeles Asylum Office", "WA": "San Francisco Asylum Office", "OR": "San Francisco Asylum Office",
	"PA": "Newark Asylum Office",
}

// organisation is a legal-services or outreach organisation, with the
// domain its synthetic e-mail addresses use (the reserved .example domain,
// so that no address can reach anyone) and the area code of its phone.
type organisation struct {
	name, domain, area string
	role               rescreen.CounselRole
}

var (
	classCounsel = []organisation{
		{"ACLU Immigrants' Rights Project", "aclu.example", "212", rescreen.CounselRole("CLASS_COUNSEL")},
		{"Muslim Advocates", "muslimadvocates.example", "202", rescreen.CounselRole("CLASS_COUNSEL")},
		{"Legal Aid Justice Center", "justice4all.example", "703", rescreen.CounselRole("CLASS_COUNSEL")},
		{"Eversheds Sutherland", "eversheds.example", "202", rescreen.CounselRole("CLASS_COUNSEL")},
	}
	legalServices = []organisation{
		{"RAICES", "raices.example", "210", rescreen.CounselRole("LEGAL_SERVICE_PROVIDER")},
		{"Al Otro Lado", "alotrolado.example", "323", rescreen.CounselRole("LEGAL_SERVICE_PROVIDER")},
		{"Florence Immigrant and Refugee Rights Project", "firrp.example", "520", rescreen.CounselRole("LEGAL_SERVICE_PROVIDER")},
		{"Dilley Pro Bono Project", "dilleyprobono.example", "210", rescreen.CounselRole("LEGAL_SERVICE_PROVIDER")},
		{"Texas Civil Rights Project", "texascivilrights.example", "956", rescreen.CounselRole("LEGAL_SERVICE_PROVIDER")},
		{"Las Americas Immigrant Advocacy Center", "las-americas.example", "915", rescreen.CounselRole("LEGAL_SERVICE_PROVIDER")},
		{"Catholic Legal Immigration Network", "cliniclegal.example", "301", rescreen.CounselRole("LEGAL_SERVICE_PROVIDER")},
		{"Kids in Need of Defense", "supportkind.example", "202", rescreen.CounselRole("LEGAL_SERVICE_PROVIDER")},
	}
	childAdvocates = []organisation{
		{"Young Center for Immigrant Children's Rights", "theyoungcenter.example", "773", rescreen.CounselRole("CHILD_ADVOCATE")},
	}
	privateAttorneys = []organisation{
		{"", "immigrationlaw.example", "713", rescreen.CounselRole("PRIVATE_ATTORNEY")},
	}
	// steeringCommittee searched for removed parents (settlement.md glossary).
	steeringCommittee = []string{"Justice in Motion", "Kids in Need of Defense", "Women's Refugee Commission", "Paul, Weiss", "ACLU"}
)
