package report

// The definitions' wording for readers: each number's name and a one-line
// statement of what it counts, in every language the report is written
// in. docs/report-definitions.md is the full text and is what the court
// relies on; these lines summarise it on the report's pages, so a change
// to a definition changes both, and DefinitionsVersion.

// Languages are the languages the report's documents are written in, the
// default first.
var Languages = []string{"en", "es"}

// definition is one definition's name and one-line statement, by language.
type definition struct {
	metric, text map[string]string
}

var definitions = map[string]definition{
	"SR-1": {
		metric: map[string]string{"en": "families in the registry", "es": "familias en el registro"},
		text: map[string]string{
			"en": "Every family of the registry, evaluated or not.",
			"es": "Todas las familias del registro, evaluadas o no.",
		},
	},
	"SR-2": {
		metric: map[string]string{"en": "families with a class member", "es": "familias con un miembro del grupo"},
		text: map[string]string{
			"en": "Families with at least one class member as of the date.",
			"es": "Familias con al menos un miembro del grupo en la fecha.",
		},
	},
	"SR-3": {
		metric: map[string]string{"en": "class members", "es": "miembros del grupo"},
		text: map[string]string{
			"en": "Persons covered under at least one rule set in force, as parents, children or other roles; \"membership unsettled\" (not in the total) counts persons whose coverage awaits information or a review.",
			"es": "Personas amparadas por al menos un conjunto de reglas vigente, como padres, hijos u otros roles; \"membership unsettled\" (fuera del total) cuenta a las personas cuya pertenencia espera información o una revisión.",
		},
	},
	"SR-4": {
		metric: map[string]string{"en": "class members by place", "es": "miembros del grupo por lugar"},
		text: map[string]string{
			"en": "Class members by where the rules place them on the date: in the U.S., removed and not returned, or unknown.",
			"es": "Miembros del grupo según dónde los sitúan las reglas en la fecha: en EE. UU., deportados y no retornados, o desconocido.",
		},
	},
	"SR-5": {
		metric: map[string]string{"en": "children under five", "es": "niños menores de cinco años"},
		text: map[string]string{
			"en": "Children among the class members born less than five years before the date; a child without a birth date is not counted.",
			"es": "Niños miembros del grupo nacidos menos de cinco años antes de la fecha; no se cuenta a un niño sin fecha de nacimiento.",
		},
	},
	"SR-6": {
		metric: map[string]string{"en": "class members by country", "es": "miembros del grupo por país"},
		text: map[string]string{
			"en": "Class members by the country on their record (ISO 3166-1 code); \"unknown\" when none is recorded.",
			"es": "Miembros del grupo según el país de su registro (código ISO 3166-1); \"unknown\" cuando no consta ninguno.",
		},
	},
	"SR-7": {
		metric: map[string]string{"en": "elections received", "es": "elecciones recibidas"},
		text: map[string]string{
			"en": "Election forms of class members received on or before the date, by choice; forms signed but with no receipt date are counted apart.",
			"es": "Formularios de elección de miembros del grupo recibidos hasta la fecha, por opción; los firmados sin fecha de recepción se cuentan aparte.",
		},
	},
	"SR-8": {
		metric: map[string]string{"en": "valid waivers (Option B)", "es": "renuncias válidas (Opción B)"},
		text: map[string]string{
			"en": "Election forms choosing Option B that the rules find valid (W1-W7) as of the date.",
			"es": "Formularios de elección de la Opción B que las reglas consideran válidos (W1-W7) en la fecha.",
		},
	},
	"SR-9": {
		metric: map[string]string{"en": "reviews and interviews held", "es": "revisiones y entrevistas realizadas"},
		text: map[string]string{
			"en": "Parents' settlement reviews and children's own interviews held on or before the date; first interviews are not counted.",
			"es": "Revisiones del acuerdo de los padres y entrevistas propias de los niños realizadas hasta la fecha; no se cuentan las primeras entrevistas.",
		},
	},
	"SR-10": {
		metric: map[string]string{"en": "results decided", "es": "resultados decididos"},
		text: map[string]string{
			"en": "The reviews and interviews of SR-9 decided on or before the date, by occasion and result.",
			"es": "Las revisiones y entrevistas de SR-9 decididas hasta la fecha, por ocasión y resultado.",
		},
	},
	"SR-11": {
		metric: map[string]string{"en": "days from an Option A election to the interview", "es": "días desde una elección de la Opción A hasta la entrevista"},
		text: map[string]string{
			"en": "For each Option A form received: the days to the member's first settlement interview (done), or to the date while none has been held (waiting); median and 90th percentile by nearest rank.",
			"es": "Por cada formulario de la Opción A recibido: los días hasta la primera entrevista del acuerdo (done), o hasta la fecha si aún no la hubo (waiting); mediana y percentil 90 por rango más cercano.",
		},
	},
	"SR-12": {
		metric: map[string]string{"en": "families by outcome", "es": "familias por resultado"},
		text: map[string]string{
			"en": "Families by the family outcome as of the date; STAYS is remaining together, and REMOVAL_MAY_PROCEED the only outcome that lets removal proceed.",
			"es": "Familias según el resultado familiar en la fecha; STAYS es permanecer juntas, y REMOVAL_MAY_PROCEED el único resultado que permite la deportación.",
		},
	},
	"SR-13": {
		metric: map[string]string{"en": "removal holds in force", "es": "suspensiones de deportación vigentes"},
		text: map[string]string{
			"en": "Families with at least one member held on the date, and class members held.",
			"es": "Familias con al menos un miembro protegido por una suspensión en la fecha, y miembros del grupo protegidos.",
		},
	},
	"SR-14": {
		metric: map[string]string{"en": "return requests", "es": "solicitudes de retorno"},
		text: map[string]string{
			"en": "Return requests of class-member parents submitted on or before the date, by their state on record.",
			"es": "Solicitudes de retorno de padres miembros del grupo presentadas hasta la fecha, según su estado registrado.",
		},
	},
	"SR-15": {
		metric: map[string]string{"en": "missed deadlines", "es": "plazos incumplidos"},
		text: map[string]string{
			"en": "The rules' deadlines of class members missed as of the date, by clock; the clock's title is the reason the deadline exists.",
			"es": "Plazos de las reglas de miembros del grupo incumplidos en la fecha, por reloj; el título del reloj es la razón del plazo.",
		},
	},
	"SR-16": {
		metric: map[string]string{"en": "reconciliation of the source lists", "es": "conciliación de las listas de origen"},
		text: map[string]string{
			"en": "For each source list: its person records, those counted as a class member, and those merged into another list's record of the same person.",
			"es": "Por cada lista de origen: sus registros de personas, los contados como miembros del grupo y los unidos al registro de la misma persona en otra lista.",
		},
	},
	"SR-17": {
		metric: map[string]string{"en": "objections to the settlement", "es": "objeciones al acuerdo"},
		text: map[string]string{
			"en": "Objections received on or before the date, from the court's record: those forwarded to the court by then, and each ruling dated by then, or pending.",
			"es": "Objeciones recibidas hasta la fecha, según el registro del tribunal: las enviadas al tribunal hasta entonces y cada decisión fechada hasta entonces, o pendiente.",
		},
	},
	"SR-18": {
		metric: map[string]string{"en": "final approvals of the settlement", "es": "aprobaciones finales del acuerdo"},
		text: map[string]string{
			"en": "Each case of the settlement with the date of the court's final approval on record on or before the date (1), or not approved (0); the total counts the cases approved.",
			"es": "Cada caso del acuerdo con la fecha de la aprobación final del tribunal registrada hasta la fecha (1), o sin aprobar (0); el total cuenta los casos aprobados.",
		},
	},
}

// MetricName returns a definition's name in the language, or "" if there
// is none in that language.
func MetricName(id, lang string) string {
	return definitions[id].metric[lang]
}

// Metric returns a definition's name in the language, else the name the
// report's rows carry (in English), else "".
func (r *Report) Metric(id, lang string) string {
	if m := MetricName(id, lang); m != "" {
		return m
	}
	for _, x := range r.Rows {
		if x.ID == id {
			return x.Metric
		}
	}
	return ""
}

// DefinitionText returns a definition's one-line statement in the
// language, or "" if there is none in that language (a definition newer
// than this table is shown by its name alone).
func DefinitionText(id, lang string) string {
	return definitions[id].text[lang]
}

// IDs returns the ids of the definitions the report's rows follow, in the
// rows' order.
func (r *Report) IDs() []string {
	var out []string
	seen := map[string]bool{}
	for _, x := range r.Rows {
		if !seen[x.ID] {
			seen[x.ID] = true
			out = append(out, x.ID)
		}
	}
	return out
}
