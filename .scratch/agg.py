import json,sys,collections
d=json.load(open(sys.argv[1]))
nodes={n['id']:n for n in d['nodes']}
dt=collections.Counter()
samples=d['samples']; deltas=d['timeDeltas']
wins=[]
if len(sys.argv)>3:
    v=list(map(int,open(sys.argv[3]).read().split()))
    wins=list(zip(v[0::2],v[1::2]))
ts=d['startTime']
for s,t in zip(samples,deltas):
    ts+=t
    if wins and not any(a<=ts<=b for a,b in wins): continue
    dt[s]+=t
total=sum(dt.values())
byf=collections.Counter(); byfile=collections.Counter()
for i,t in dt.items():
    cf=nodes[i]['callFrame']; url=cf['url'].split('node_modules/')[-1] if 'node_modules' in cf['url'] else cf['url'].replace('file:///work/wt/s27-ingress/','')
    byf[(cf['functionName'] or '(anon)')+' '+url+':'+str(cf['lineNumber'])]+=t
    pkg=url.split('/')[0] if 'node_modules' in cf['url'] else url
    byfile[pkg if not pkg.startswith('dist') else url]+=t
print('total ms',total/1000)
for k,v in byfile.most_common(int(sys.argv[2]) if len(sys.argv)>2 else 30): print(f'{v/total*100:5.1f}% {k}')
print('---')
for k,v in byf.most_common(40): print(f'{v/total*100:5.1f}% {k}')
