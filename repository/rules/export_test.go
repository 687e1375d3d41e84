package rules

// WithValidations is a copy of p whose fields have the checks of vs, for
// tests of one validation on a plain struct.
func WithValidations(p *Plan, vs ...Validation) *Plan {
	q := &Plan{Type: p.Type, byName: map[string]*Field{}}
	for _, f := range p.Fields {
		c := *f
		c.Checks = nil
		q.Fields = append(q.Fields, &c)
		q.byName[c.Name] = &c
	}
	for _, v := range vs {
		c, err := q.compileValidation(v)
		if err != nil {
			panic(err)
		}
		q.byName[v.prop].Checks = append(q.byName[v.prop].Checks, c)
		q.Checks = append(q.Checks, c)
	}
	return q
}
