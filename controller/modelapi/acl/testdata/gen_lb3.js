// Generates testdata/lb3_resolve.json with loopback@3.28.0's ACL.getMatchingScore and resolvePermission.
// Run with loopback@3.28.0 installed where node finds it:
//   npm install loopback@3.28.0 && node gen_lb3.js lb3_resolve.json
const loopback = require('loopback');
const app = loopback();
app.dataSource('db', {connector: 'memory'});
const ACL = loopback.ACL;
const E = (property, accessType, principalType, principalId, permission) =>
  ({model: 'Review', property, accessType, principalType, principalId, permission});
const sets = {
  review: [E('*','*','ROLE','$everyone','DENY'), E('*','READ','ROLE','$everyone','ALLOW'),
    E('create','*','ROLE','$authenticated','ALLOW'), E('*','WRITE','ROLE','$owner','ALLOW')],
  user: [E('*','*','ROLE','$everyone','DENY'), E('create','*','ROLE','$everyone','ALLOW'),
    E('findById','*','ROLE','$owner','ALLOW'), E('deleteById','*','ROLE','$owner','ALLOW')],
  ties: [E('find','READ','ROLE','$everyone','ALLOW'), E('find','READ','ROLE','$everyone','DENY'),
    E('find','*','ROLE','admin','ALLOW')],
  principals: [E('*','*','USER','7','DENY'), E('*','*','ROLE','admin','ALLOW'), E('*','*','ROLE','$owner','ALLOW'),
    E('*','*','ROLE','$authenticated','ALLOW'), E('*','*','ROLE','$unauthenticated','DENY'), E('*','*','APP','a','ALLOW'),
    E('*','*','ROLE','$related','DENY')],
  exec: [E('*','EXECUTE','ROLE','$everyone','DENY'), E('find','*','ROLE','$everyone','ALLOW'),
    E('*','WRITE','ROLE','$everyone','ALLOW')],
  // one entry of each principal kind, alternating permissions, so that
  // each kind's precedence over the one below it decides a caller
  kinds: [E('*','*','ROLE','$everyone','ALLOW'), E('*','*','ROLE','$authenticated','DENY'),
    E('*','*','ROLE','$owner','ALLOW'), E('*','*','ROLE','admin','DENY'), E('*','*','USER','7','ALLOW')],
  othermodel: [{model:'CoffeeShop',property:'*',accessType:'*',principalType:'ROLE',principalId:'$everyone',permission:'DENY'},
    {model:'*',property:'find',accessType:'*',principalType:'ROLE',principalId:'$everyone',permission:'DENY'}],
};
const reqs = [
  {property:'find',accessType:'READ',methodNames:['find']},
  {property:'create',accessType:'WRITE',methodNames:['create']},
  {property:'patchOrCreate',accessType:'WRITE',methodNames:['patchOrCreate','upsert','updateOrCreate']},
  {property:'patchAttributes',accessType:'WRITE',methodNames:['patchAttributes','updateAttributes']},
  {property:'findById',accessType:'READ',methodNames:['findById']},
  {property:'deleteById',accessType:'WRITE',methodNames:['deleteById','destroyById','removeById']},
  {property:'replicate',accessType:'REPLICATE',methodNames:['replicate']},
  {property:'status',accessType:'EXECUTE',methodNames:['status']},
  {property:'*',accessType:'READ',methodNames:[]},
  {property:'find',accessType:'*',methodNames:['find']},
];
const out = [];
// every subset of a set's entries stands for a caller in those principals
for (const [name, set] of Object.entries(sets)) {
  const n = set.length;
  for (let mask = 0; mask < (1 << n); mask++) {
    const entries = set.filter((_, i) => mask & (1 << i));
    for (const r of reqs) {
      const req = Object.assign({model: 'Review'}, r);
      const scores = entries.map(e => ACL.getMatchingScore(new ACL(e), Object.assign({}, req)));
      const res = ACL.resolvePermission(entries.map(e => new ACL(e)), Object.assign({}, req));
      out.push({set: name, entries, request: req, scores, permission: res.permission});
    }
  }
}
require('fs').writeFileSync(process.argv[2], JSON.stringify(out));
console.log(out.length);
