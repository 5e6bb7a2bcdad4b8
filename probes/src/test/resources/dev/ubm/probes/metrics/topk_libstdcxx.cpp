// Generates topk_libstdcxx.txt: g++ -O2 topk_libstdcxx.cpp -o t && ./t > topk_libstdcxx.txt
// torch.topk's CPU selection (aten TopKImpl.h) on heavily tied values, with the system libstdc++.
#include <algorithm>
#include <vector>
#include <cstdio>
#include <random>
#include <cmath>
// prints for each case: n k then selected indices (first k of queue)
int main(){
  std::mt19937 rng(7);
  int cases[][2]={{100,10},{100,10},{100,10},{12,10},{640,10},{1000,10},{700,10},{5000,3},{50,7},{2000,31}};
  for(int c=0;c<10;c++){
    int n=cases[c][0], k=cases[c][1];
    std::vector<float> v(n);
    for(int i=0;i<n;i++){ v[i] = (float)(rng()%4) * 0.25f; } // heavy ties
    typedef std::pair<float,long> E; std::vector<E> q(n);
    for(int j=0;j<n;j++){q[j].first=v[j];q[j].second=j;}
    auto cmp=[](const E& x,const E& y)->bool{return ((std::isnan(x.first)&&!std::isnan(y.first))||(x.first>y.first));};
    if((long)k*64<=n) std::partial_sort(q.begin(),q.begin()+k,q.end(),cmp);
    else std::nth_element(q.begin(),q.begin()+k-1,q.end(),cmp);
    printf("%d %d",n,k); for(int i=0;i<n;i++) printf(" %g",v[i]); printf(" |");
    for(int i=0;i<k;i++) printf(" %ld",q[i].second); printf("\n");
  }
}
