import json,sys,collections
def load(f,w,n):
    d=json.load(open(f)); nodes={x['id']:x for x in d['nodes']}
    parent={}
    for x in d['nodes']:
        for c in x.get('children',[]): parent[c]=x['id']
    v=list(map(int,open(w).read().split())); wins=list(zip(v[0::2],v[1::2]))
    dt=collections.Counter(); ts=d['startTime']
    for s,t in zip(d['samples'],d['timeDeltas']):
        ts+=t
        if any(a<=ts<=b for a,b in wins): dt[s]+=t
    # attribute each sample to the first "interesting" frame up the stack (our dist code or a package)
    by=collections.Counter()
    for i,t in dt.items():
        j=i; label=None
        chain=[]
        while j is not None:
            cf=nodes[j]['callFrame']; u=cf['url']
            chain.append(cf)
            j=parent.get(j)
        # label: self-frame package
        cf=chain[0]; u=cf['url']
        if 'node_modules' in u: lab=u.split('node_modules/')[-1].split('/')[0]
        elif '/dist/' in u: lab=u.split('/dist/')[-1]
        elif u: lab=u
        else: lab=cf['functionName']
        by[lab]+=t/n
    return by
a=load(*sys.argv[1:3],int(sys.argv[3])); b=load(*sys.argv[4:6],int(sys.argv[6]))
keys=sorted(set(a)|set(b), key=lambda k: -(b.get(k,0)-a.get(k,0)))
print('total base %.0f real %.0f us/req'%(sum(a.values()),sum(b.values())))
for k in keys[:35]: print('%7.1f %7.1f %7.1f  %s'%(a.get(k,0),b.get(k,0),b.get(k,0)-a.get(k,0),k))
