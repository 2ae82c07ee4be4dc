import json,sys,collections
d=json.load(open(sys.argv[1])); target=sys.argv[2]
nodes={n['id']:n for n in d['nodes']}
parent={}
for n in d['nodes']:
    for c in n.get('children',[]): parent[c]=n['id']
v=list(map(int,open(sys.argv[3]).read().split())); wins=list(zip(v[0::2],v[1::2]))
dt=collections.Counter(); ts=d['startTime']
for s,t in zip(d['samples'],d['timeDeltas']):
    ts+=t
    if any(a<=ts<=b for a,b in wins): dt[s]+=t
total=sum(dt.values())
stacks=collections.Counter()
def name(i):
    cf=nodes[i]['callFrame']; u=cf['url'].split('/')[-1]; return f"{cf['functionName'] or 'anon'}@{u}:{cf['lineNumber']}"
for i,t in dt.items():
    if nodes[i]['callFrame']['functionName']!=target: continue
    chain=[]; j=parent.get(i)
    while j is not None and len(chain)<int(sys.argv[4]): chain.append(name(j)); j=parent.get(j)
    stacks[' < '.join(chain)]+=t
for k,v in stacks.most_common(8): print(f'{v/total*100:5.1f}% {k}\n')
