package dev.colloquy.spring;

import dev.colloquy.core.tool.Tool;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * Finds the beans that have public {@link Tool} methods, the way core's {@code Toolbox} reads them.
 */
final class ToolBeans {
  private ToolBeans() {}

  /**
   * Returns the tool beans in registration order, unwrapped from AOP proxies. Only beans whose type
   * shows tool methods are created; factory beans are not initialised to learn their type.
   */
  static List<Object> find(ConfigurableListableBeanFactory beanFactory) {
    List<Object> tools = new ArrayList<>();
    for (String name : beanFactory.getBeanNamesForType(Object.class, false, false)) {
      if (beanFactory.containsBeanDefinition(name)
          && beanFactory.getBeanDefinition(name).getRole() == BeanDefinition.ROLE_INFRASTRUCTURE) {
        continue;
      }
      Class<?> type = beanFactory.getType(name, false);
      if (type == null || !hasToolMethods(ClassUtils.getUserClass(type))) {
        continue;
      }
      Object bean = beanFactory.getBean(name);
      Object target = AopProxyUtils.getSingletonTarget(bean);
      tools.add(target != null ? target : bean);
    }
    return tools;
  }

  static boolean hasToolMethods(Class<?> type) {
    for (Method method : type.getMethods()) {
      if (method.isAnnotationPresent(Tool.class) && !Modifier.isStatic(method.getModifiers())) {
        return true;
      }
    }
    return false;
  }
}
