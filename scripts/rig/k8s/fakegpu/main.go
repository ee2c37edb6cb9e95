// fakegpu is the rig's stand-in for NVIDIA's device plugin: it answers the kubelet's device-plugin API
// (v1beta1) for nvidia.com/gpu with made-up GPUs, so the kubelet really allocates ids per pod and the scheduler
// really counts them. A container gets NVIDIA_VISIBLE_DEVICES with its ids (as NVIDIA's plugin sets it) and a
// /dev/nvidiaN per GPU (a copy of /dev/null's device numbers made by the rig). Re-registers whenever the kubelet
// restarts (its socket directory is wiped then).
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	pluginapi "k8s.io/kubelet/pkg/apis/deviceplugin/v1beta1"
)

type plugin struct {
	pluginapi.UnimplementedDevicePluginServer
	ids    []string
	devDir string
}

func (p *plugin) GetDevicePluginOptions(context.Context, *pluginapi.Empty) (*pluginapi.DevicePluginOptions, error) {
	return &pluginapi.DevicePluginOptions{}, nil
}

func (p *plugin) ListAndWatch(_ *pluginapi.Empty, s pluginapi.DevicePlugin_ListAndWatchServer) error {
	devs := make([]*pluginapi.Device, 0, len(p.ids))
	for _, id := range p.ids {
		devs = append(devs, &pluginapi.Device{ID: id, Health: pluginapi.Healthy})
	}
	if err := s.Send(&pluginapi.ListAndWatchResponse{Devices: devs}); err != nil {
		return err
	}
	<-s.Context().Done()
	return nil
}

func (p *plugin) Allocate(_ context.Context, req *pluginapi.AllocateRequest) (*pluginapi.AllocateResponse, error) {
	resp := &pluginapi.AllocateResponse{}
	for _, c := range req.ContainerRequests {
		cr := &pluginapi.ContainerAllocateResponse{Envs: map[string]string{
			"NVIDIA_VISIBLE_DEVICES": strings.Join(c.DevicesIds, ","),
		}}
		for _, id := range c.DevicesIds {
			n := id[strings.LastIndex(id, "-")+1:]
			cr.Devices = append(cr.Devices, &pluginapi.DeviceSpec{
				HostPath: filepath.Join(p.devDir, "nvidia"+n), ContainerPath: "/dev/nvidia" + n, Permissions: "rw",
			})
		}
		resp.ContainerResponses = append(resp.ContainerResponses, cr)
	}
	return resp, nil
}

func (p *plugin) GetPreferredAllocation(context.Context, *pluginapi.PreferredAllocationRequest) (*pluginapi.PreferredAllocationResponse, error) {
	return &pluginapi.PreferredAllocationResponse{}, nil
}

func (p *plugin) PreStartContainer(context.Context, *pluginapi.PreStartContainerRequest) (*pluginapi.PreStartContainerResponse, error) {
	return &pluginapi.PreStartContainerResponse{}, nil
}

func serveAndRegister(p *plugin, dir, name string) (*grpc.Server, string, error) {
	sock := filepath.Join(dir, name)
	_ = os.Remove(sock)
	l, err := net.Listen("unix", sock)
	if err != nil {
		return nil, "", err
	}
	srv := grpc.NewServer()
	pluginapi.RegisterDevicePluginServer(srv, p)
	go func() { _ = srv.Serve(l) }()
	conn, err := grpc.NewClient("unix://"+filepath.Join(dir, "kubelet.sock"),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		srv.Stop()
		return nil, "", err
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err = pluginapi.NewRegistrationClient(conn).Register(ctx, &pluginapi.RegisterRequest{
		Version: pluginapi.Version, Endpoint: name, ResourceName: "nvidia.com/gpu",
	})
	if err != nil {
		srv.Stop()
		return nil, "", err
	}
	return srv, sock, nil
}

func main() {
	count := flag.Int("count", 4, "GPUs to advertise")
	node := flag.String("node", "node", "node name, part of each GPU id")
	dir := flag.String("dir", pluginapi.DevicePluginPath, "the kubelet's device-plugin directory")
	devDir := flag.String("dev-dir", "/var/lib/gpu-containers-test/k8s/dev", "where the stand-in device files are")
	flag.Parse()
	p := &plugin{devDir: *devDir}
	for i := 0; i < *count; i++ {
		p.ids = append(p.ids, fmt.Sprintf("GPU-fake-%s-%d", *node, i))
	}
	name := "gpuc-fakegpu-" + *node + ".sock"
	for {
		srv, sock, err := serveAndRegister(p, *dir, name)
		if err != nil {
			log.Printf("register: %v (retrying)", err)
			time.Sleep(time.Second)
			continue
		}
		log.Printf("registered %d GPUs as nvidia.com/gpu on %s", *count, *node)
		// The kubelet wipes its plugin directory when it restarts: serve again and re-register then.
		for {
			time.Sleep(time.Second)
			if _, err := os.Stat(sock); err != nil {
				break
			}
		}
		srv.Stop()
	}
}
